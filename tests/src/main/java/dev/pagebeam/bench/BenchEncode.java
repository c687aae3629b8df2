package dev.pagebeam.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.pagebeam.transforms.encode.EncodePdfElements;
import dev.pagebeam.transforms.encode.EncodeSettings;
import dev.pagebeam.transforms.model.DeviceRequest;
import dev.pagebeam.transforms.model.ModelCache;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelSpec;
import dev.pagebeam.transforms.model.ModelTokenizer;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.split.PdfDocumentSplitter;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.split.SplitOutput;
import dev.pagebeam.transforms.split.SplitSettings;
import dev.pagebeam.transforms.split.TokenChunker;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;

/**
 * {@code bin/pagebeam bench-encode}: chunks per second of the same model on the same chunks with
 * the same threads, side by side in one run:
 * (a) pagebeam's encode stage on the DirectRunner (tokenising, batching, pooling included),
 * (b) the ceiling: a bare loop of ONNX Runtime session.run on pre-tokenised batches of the same size,
 * (c) LangChain4j's in-process embedding model for the same ONNX file (only at 128 tokens: it
 * cuts every input at 128 word pieces).
 */
public final class BenchEncode {
  private static int BATCH = EncodeSettings.DEFAULT_TEXT_BATCH_CPU;

  private BenchEncode() {}

  static final String USAGE = "usage: bin/pagebeam bench-encode [--input=DIR] [--models=a,b,...] [--chunks=N]"
      + " [--rounds=N] [--batch=N] [--threads=N]\n  chunks/s of the encode stage (a) vs a bare ONNX Runtime loop (b)"
      + " vs LangChain4j (c); see docs/BENCHMARKS.md";

  public static void main(String[] args) throws Exception {
    Set<String> known = Set.of("input", "models", "chunks", "threads", "rounds", "batch");
    BenchArgs.main("bench-encode", USAGE, args, known, a -> {
      BATCH = a.getInt("batch", EncodeSettings.DEFAULT_TEXT_BATCH_CPU);
      String home = System.getProperty("pagebeam.home", ".");
      Path input = Path.of(a.get("input", home + "/tools/corpus/pdf/r-doc-pdf"));
      List<String> models = List.of(a.get("models", "all-minilm-l6-v2-q,all-minilm-l6-v2,bge-small-en-v1.5-q").split(","));
      int count = a.getInt("chunks", 512);
      int threads = a.getInt("threads", 2);
      int rounds = a.getInt("rounds", 2);
      System.out.printf("bench-encode: %d chunks per row from %s, %d ONNX Runtime threads, batch %d, best of %d"
          + " rounds%n", count, input, threads, BATCH, rounds);
      List<String> rows = new ArrayList<>();
      for (String model : models) {
        for (int maxTokens : new int[] {128, 256}) {
          rows.add(row(model, maxTokens, chunks(input, model, maxTokens, count), threads, rounds));
        }
      }
      System.out.printf("%-20s %7s %7s %14s %14s %16s %7s %7s%n", "model", "tokens", "chunks", "(a) pipeline",
          "(b) bare ORT", "(c) LangChain4j", "a/b", "a/c");
      rows.forEach(System.out::println);
      System.out.println("figures in chunks/s; (c) only at <=128 tokens, where LangChain4j's own truncation cuts nothing");
    });
  }

  private static String row(String model, int maxTokens, List<PdfElement> chunks, int threads, int rounds)
      throws Exception {
    ModelLocation location = ModelLocation.bundled(model);
    boolean compareLangChain4j = maxTokens <= 128;
    EmbeddingModel peer = compareLangChain4j ? langChain4j(model) : null;
    double bestA = 0;
    double bestB = 0;
    double bestC = 0;
    // warm-up: JIT, ORT's first-run allocations
    List<PdfElement> warm = chunks.subList(0, Math.min(64, chunks.size()));
    pipeline(location, warm, threads);
    bare(location, warm, threads);
    if (peer != null) {
      langChain4j(peer, warm);
    }
    for (int r = 0; r < rounds; r++) {
      bestA = Math.max(bestA, pipeline(location, chunks, threads));
      bestB = Math.max(bestB, bare(location, chunks, threads));
      if (peer != null) {
        bestC = Math.max(bestC, langChain4j(peer, chunks));
      }
    }
    String c = peer == null ? "-" : String.format(Locale.ROOT, "%.1f", bestC);
    String ac = peer == null ? "-" : String.format(Locale.ROOT, "%.2fx", bestA / bestC);
    return String.format(Locale.ROOT, "%-20s %7s %7d %14.1f %14.1f %16s %6.2fx %7s", model, "<=" + maxTokens,
        chunks.size(), bestA, bestB, c, bestA / bestB, ac);
  }

  /** Real chunks: the corpus split with the model's own tokenizer at {@code maxTokens}. */
  static List<PdfElement> chunks(Path input, String model, int maxTokens, int count) throws Exception {
    SplitSettings settings = SplitSettings.defaults().withTokenizerModel(ModelLocation.bundled(model))
        .withChunking(maxTokens, maxTokens / 8).withPageImages(false, 224).withEmbeddedImages(false, 64, 1024);
    List<PdfElement> out = new ArrayList<>();
    try (ModelTokenizer tokenizer = ModelTokenizer.load(settings.tokenizerModel())) {
      TokenChunker chunker = new TokenChunker(tokenizer, settings.maxTokens(), settings.overlapTokens());
      PdfDocumentSplitter splitter = new PdfDocumentSplitter(settings);
      for (Path pdf : BenchSplit.pdfs(input)) {
        SplitOutput sink = new SplitOutput() {
          @Override
          public void pageText(PageText page) {
            int i = 0;
            for (TokenChunker.Chunk c : chunker.chunk(page.getText())) {
              if (out.size() < count) {
                out.add(PdfElement.textChunk(page, i++, c.charStart, c.charEnd, c.tokenCount, chunker.fingerprint()));
              }
            }
          }

          @Override
          public void image(PdfElement image) {}

          @Override
          public void deadLetter(DeadLetter deadLetter) {}
        };
        try (FileChannel ch = FileChannel.open(pdf, StandardOpenOption.READ)) {
          splitter.split(pdf.toString(), ch, Files.size(pdf), sink);
        }
        if (out.size() >= count) {
          break;
        }
      }
    }
    if (out.size() < count) {
      throw new IllegalStateException("only " + out.size() + " chunks under " + input + "; pass a larger --input");
    }
    return out;
  }

  /**
   * (a) EncodePdfElements on the DirectRunner as {@code ingest} runs it (one worker thread, one
   * shard per modality); the model is held loaded so that only encoding is timed.
   */
  static double pipeline(ModelLocation location, List<PdfElement> chunks, int threads) throws Exception {
    ModelSpec spec = new ModelSpec(location, DeviceRequest.parse("cpu"), threads, 0);
    try (ModelCache.Lease held = ModelCache.acquire(spec)) {
      DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
      options.setRunner(DirectRunner.class);
      options.setEnforceImmutability(false);
      options.setEnforceEncodability(false);
      options.setTargetParallelism(1);
      int shards = 1;
      Pipeline p = Pipeline.create(options);
      p.apply(Create.of(chunks)).apply(EncodePdfElements.with(EncodeSettings.of(spec).withBatchSizes(BATCH, 8).withShards(shards)
              .withMaxBufferingSeconds(600)))
          .embedded().apply(Count.globally());
      long start = System.nanoTime();
      p.run().waitUntilFinish();
      return chunks.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** (b) session.run on pre-tokenised batches, sorted by length in the same windows as the pipeline. */
  static double bare(ModelLocation location, List<PdfElement> chunks, int threads) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<long[]> ids = new ArrayList<>();
    try (ModelTokenizer tokenizer = ModelTokenizer.load(location)) {
      for (PdfElement e : chunks) {
        Encoding enc = tokenizer.encode(e.getText());
        ids.add(enc.getIds());
      }
    }
    List<List<long[]>> batches = new ArrayList<>();
    int window = Math.max(BATCH * EncodeSettings.SORT_WINDOW_BATCHES, EncodeSettings.MIN_SORT_WINDOW);
    for (int w = 0; w < ids.size(); w += window) {
      List<long[]> sorted = new ArrayList<>(ids.subList(w, Math.min(ids.size(), w + window)));
      sorted.sort(Comparator.comparingInt(x -> x.length));
      for (int b = 0; b < sorted.size(); b += BATCH) {
        batches.add(sorted.subList(b, Math.min(sorted.size(), b + BATCH)));
      }
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(location.readFile("model.onnx"), options)) {
        long start = System.nanoTime();
        for (List<long[]> batch : batches) {
          int longest = batch.stream().mapToInt(x -> x.length).max().orElse(1);
          long[] flat = new long[batch.size() * longest];
          long[] mask = new long[batch.size() * longest];
          for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i), 0, flat, i * longest, batch.get(i).length);
            java.util.Arrays.fill(mask, i * longest, i * longest + batch.get(i).length, 1L);
          }
          long[] shape = {batch.size(), longest};
          try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(flat), shape);
               OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
               OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[flat.length]), shape);
               OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t))) {
            r.get(0).getValue();
          }
        }
        return chunks.size() / ((System.nanoTime() - start) / 1e9);
      }
    }
  }

  /** (c) LangChain4j's embedAll on the same texts. */
  static double langChain4j(EmbeddingModel model, List<PdfElement> chunks) {
    List<TextSegment> segments = chunks.stream().map(e -> TextSegment.from(e.getText())).collect(Collectors.toList());
    long start = System.nanoTime();
    model.embedAll(segments);
    return chunks.size() / ((System.nanoTime() - start) / 1e9);
  }

  static EmbeddingModel langChain4j(String model) {
    Map<String, Supplier<EmbeddingModel>> peers = Map.of(
        "all-minilm-l6-v2", AllMiniLmL6V2EmbeddingModel::new,
        "all-minilm-l6-v2-q", AllMiniLmL6V2QuantizedEmbeddingModel::new,
        "bge-small-en-v1.5-q", BgeSmallEnV15QuantizedEmbeddingModel::new);
    return peers.get(model).get();
  }
}

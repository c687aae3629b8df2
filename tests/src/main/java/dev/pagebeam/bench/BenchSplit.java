package dev.pagebeam.bench;

import dev.pagebeam.transforms.core.PagebeamCounters;
import dev.pagebeam.transforms.model.ModelTokenizer;
import dev.pagebeam.transforms.ocr.OcrSettings;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.split.DocumentOutcome;
import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.split.PdfDocumentSplitter;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.split.SplitCounters;
import dev.pagebeam.transforms.split.SplitOutput;
import dev.pagebeam.transforms.split.SplitPdfs;
import dev.pagebeam.transforms.split.SplitSettings;
import dev.pagebeam.transforms.split.TokenChunker;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;

/**
 * {@code bin/pagebeam bench-split}: pages per second of the split stage on the DirectRunner next to
 * the same work done by a bare loop of the same PDFBox and DJL calls on the same number of threads,
 * in one run. Two measurements: text extraction with chunking, and thumbnail rendering.
 */
public final class BenchSplit {
  private BenchSplit() {}

  static final String USAGE = "usage: bin/pagebeam bench-split [--input=DIR] [--rounds=N] [--threads=N]"
      + " [--pagesPerTask=N]\n  pages/s of the split stage on the DirectRunner vs a bare loop on the same threads;"
      + " see docs/BENCHMARKS.md";

  public static void main(String[] args) throws Exception {
    Set<String> known = Set.of("input", "threads", "rounds", "pagesPerTask");
    BenchArgs.main("bench-split", USAGE, args, known, a -> {
      String home = System.getProperty("pagebeam.home", ".");
      Path input = Path.of(a.get("input", home + "/tools/corpus/pdf"));
      int threads = a.getInt("threads", 2);
      int rounds = a.getInt("rounds", 2);
      List<Path> files = pdfs(input);
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no PDFs under " + input + " (run scripts/fetch-corpus.sh for the corpus)");
      }
      // OCR has a benchmark of its own (bench-ocr); the corpus is born-digital anyway
      SplitSettings base = SplitSettings.defaults().withOcr(OcrSettings.off())
          .withPagesPerTask(a.getInt("pagesPerTask", SplitSettings.DEFAULT_PAGES_PER_TASK));
      SplitSettings textOnly = base.withPageImages(false, base.thumbnailSide())
          .withEmbeddedImages(false, base.minImageSize(), base.maxImageSide());
      SplitSettings thumbnailsOnly = base.withText(false)
          .withEmbeddedImages(false, base.minImageSize(), base.maxImageSide());

      System.out.printf("bench-split: %d PDFs under %s, %d threads, %d pages per task, best of %d rounds"
          + " (after a warm-up)%n", files.size(), input, threads, base.pagesPerTask(), rounds);
      // warm up both paths (JIT, PDFBox font cache, tokenizer) on a few files
      List<Path> warm = files.subList(0, Math.min(3, files.size()));
      bare(warm, base, threads);
      pipeline(warm, base, threads);

      List<String> rows = new ArrayList<>();
      rows.add(row("text extraction + chunking", textOnly, files, threads, rounds));
      rows.add(row("thumbnails (" + base.thumbnailSide() + " px)", thumbnailsOnly, files, threads, rounds));
      System.out.printf("%-30s %8s %18s %18s %8s%n", "stage", "pages", "pipeline pages/s", "bare loop pages/s",
          "ratio");
      rows.forEach(System.out::println);
    });
  }

  private static String row(String name, SplitSettings settings, List<Path> files, int threads, int rounds)
      throws Exception {
    double bestPipeline = 0;
    double bestBare = 0;
    long pages = 0;
    for (int r = 0; r < rounds; r++) {
      Result bare = bare(files, settings, threads);
      Result beam = pipeline(files, settings, threads);
      if (bare.pages != beam.pages) {
        throw new IllegalStateException("page counts differ: bare " + bare.pages + " vs pipeline " + beam.pages);
      }
      pages = bare.pages;
      bestBare = Math.max(bestBare, bare.pagesPerSecond());
      bestPipeline = Math.max(bestPipeline, beam.pagesPerSecond());
      System.out.printf(Locale.ROOT, "  round %d %-28s pipeline %7.1f pages/s (%.1f s), bare %7.1f pages/s (%.1f s)%n",
          r + 1, name, beam.pagesPerSecond(), beam.seconds, bare.pagesPerSecond(), bare.seconds);
    }
    return String.format(Locale.ROOT, "%-30s %8d %18.1f %18.1f %7.2fx", name, pages, bestPipeline, bestBare,
        bestPipeline / bestBare);
  }

  static final class Result {
    final long pages;
    final double seconds;

    Result(long pages, double seconds) {
      this.pages = pages;
      this.seconds = seconds;
    }

    double pagesPerSecond() {
      return pages / seconds;
    }
  }

  /**
   * The same per-document code as the pipeline on a plain thread pool: largest files first, long
   * documents cut into the same page-range tasks, chunking inline.
   */
  static Result bare(List<Path> files, SplitSettings settings, int threads) throws Exception {
    AtomicLong pages = new AtomicLong();
    ThreadLocal<TokenChunker> chunkers = ThreadLocal.withInitial(() -> {
      try {
        ModelTokenizer tokenizer = ModelTokenizer.load(settings.tokenizerModel());
        return new TokenChunker(tokenizer, settings.maxTokens(), settings.overlapTokens());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    PdfDocumentSplitter splitter = new PdfDocumentSplitter(settings);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Path> bySize = new ArrayList<>(files);
    bySize.sort((a, b) -> Long.compare(size(b), size(a)));
    long start = System.nanoTime();
    try {
      BlockingQueue<Future<?>> pending = new LinkedBlockingQueue<>();
      for (Path file : bySize) {
        pending.add(pool.submit(() -> {
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            DocumentOutcome outcome = splitter.split(file.toString(), channel, Files.size(file),
                chunkingOutput(chunkers.get()), task -> pending.add(pool.submit(() -> {
                  try (FileChannel again = FileChannel.open(file, StandardOpenOption.READ)) {
                    pages.addAndGet(splitter.runTask(task, again, chunkingOutput(chunkers.get())).pages());
                  }
                  return null;
                })));
            pages.addAndGet(outcome.pages());
          }
          return null;
        }));
      }
      Future<?> next;
      while ((next = pending.poll()) != null) {
        next.get();
      }
    } finally {
      pool.shutdown();
    }
    return new Result(pages.get(), (System.nanoTime() - start) / 1e9);
  }

  private static SplitOutput chunkingOutput(TokenChunker chunker) {
    return new SplitOutput() {
      @Override
      public void pageText(PageText page) {
        chunker.chunk(page.getText());
      }

      @Override
      public void image(PdfElement image) {}

      @Override
      public void deadLetter(DeadLetter deadLetter) {}
    };
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  /** SplitPdfs on the DirectRunner with the same number of threads, elements counted and dropped. */
  static Result pipeline(List<Path> files, SplitSettings settings, int threads) {
    return pipeline(files, settings, threads, SplitCounters.PAGES);
  }

  /** The same, counting the items of {@code counter} (a SplitCounters name). */
  static Result pipeline(List<Path> files, SplitSettings settings, int threads, String counter) {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(threads);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    Pipeline p = Pipeline.create(options);
    List<String> paths = files.stream().map(Path::toString).collect(Collectors.toList());
    p.apply(Create.of(paths)).apply(SplitPdfs.with(settings)).elements().apply(Count.globally());
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    long pages = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(PagebeamCounters.NAMESPACE, counter)).build()).getCounters()) {
      pages += c.getCommitted();
    }
    return new Result(pages, seconds);
  }

  static List<Path> pdfs(Path input) throws IOException {
    if (Files.isRegularFile(input)) {
      return List.of(input);
    }
    try (Stream<Path> walk = Files.walk(input)) {
      return walk.filter(f -> f.toString().toLowerCase(Locale.ROOT).endsWith(".pdf")).sorted()
          .collect(Collectors.toList());
    }
  }
}

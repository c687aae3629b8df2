package dev.pagebeam.bench;

import dev.pagebeam.pipeline.options.ServeOptions;
import dev.pagebeam.pipeline.search.Evaluation;
import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.pipeline.search.Searcher;
import dev.pagebeam.pipeline.serve.SearchServer;
import dev.pagebeam.pipeline.serve.ServeCommand;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bin/pagebeam bench-serve}: pagebeam serve under 1, 4 and 16 concurrent clients, next to the
 * same work done in-process without HTTP, in one run: /v1/embeddings against the bare model loop
 * (threads calling the model directly), and /search against the bare store search (threads calling
 * the searcher: the query's embedding and the store's search), on the file sink, Chroma and Milvus.
 * Each cell runs for a fixed time; every client sends its next request when the last one answered.
 */
public final class BenchServe {
  private BenchServe() {}

  static final String USAGE = "usage: bin/pagebeam bench-serve [--source=DIR] [--clients=1,4,16] [--seconds=8]"
      + " [--mode=dense] [--k=5] [--chroma=HOST:PORT] [--milvus=HOST:PORT]\n"
      + "  --source: an ingest's output with the default file sink (default tools/bench-serve/manuals; see"
      + " docs/BENCHMARKS.md for the command that makes it); Chroma and Milvus get a copy of its vectors.\n"
      + "  servers default to $CHROMA and $MILVUS (scripts/test-servers.sh start)";

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** What one client does once: throws when the answer is not a success. */
  private interface Call {
    void run(String question) throws Exception;
  }

  /** Requests per second and latency percentiles of one cell. */
  static final class Cell {
    final double perSecond;
    final double p50;
    final double p99;

    Cell(double perSecond, double p50, double p99) {
      this.perSecond = perSecond;
      this.p50 = p50;
      this.p99 = p99;
    }
  }

  public static void main(String[] args) throws Exception {
    Set<String> known = Set.of("source", "clients", "seconds", "mode", "k", "chroma", "milvus");
    BenchArgs.main("bench-serve", USAGE, args, known, a -> {
      Path source = Path.of(a.get("source", "tools/bench-serve/manuals"));
      if (!Files.isDirectory(source.resolve("vectors"))) {
        throw new IllegalArgumentException(source + " holds no vectors: make it with bin/pagebeam ingest"
            + " --input=... --output=" + source + " (docs/BENCHMARKS.md, bench-serve)");
      }
      int[] clients = Arrays.stream(a.get("clients", "1,4,16").split(",")).mapToInt(Integer::parseInt).toArray();
      double seconds = Double.parseDouble(a.get("seconds", "8"));
      String mode = a.get("mode", "dense");
      int k = a.getInt("k", 5);
      List<String> questions = questions();
      List<String> sinks = new ArrayList<>(List.of("file:" + source));
      String chroma = a.get("chroma", System.getenv().getOrDefault("CHROMA", ""));
      String milvus = a.get("milvus", System.getenv().getOrDefault("MILVUS", ""));
      if (!chroma.isEmpty()) {
        sinks.add(copy("chroma://" + chroma + "/bench_serve", source));
      }
      if (!milvus.isEmpty()) {
        sinks.add(copy("milvus://" + milvus + "/bench_serve", source));
      }
      System.out.printf(Locale.ROOT, "bench-serve: %s, %d questions, %.0f s per cell, %d cores%n", source,
          questions.size(), seconds, Runtime.getRuntime().availableProcessors());

      List<String> embedRows = new ArrayList<>();
      List<String> searchRows = new ArrayList<>();
      for (String sink : sinks) {
        ServeOptions o = options(sink, source);
        try (SearchServer server = ServeCommand.start(o, false); Searcher bare = Searcher.open(o, false)) {
          String base = "http://127.0.0.1:" + server.port();
          String model = server.modelId();
          SearchMode searchMode = SearchMode.of(mode, bare.store());
          if (sink.startsWith("file:")) {
            System.out.printf("model %s, %d records%n", model, bare.store().count());
            for (int c : clients) {
              Cell served = measure(c, seconds, questions, q -> post(base + "/v1/embeddings",
                  "{\"model\":\"" + model + ":query\",\"input\":" + json(q) + "}"));
              Cell direct = measure(c, seconds, questions, q -> bare.model().embedTexts(List.of(q), true));
              embedRows.add(row("model", c, served, direct));
            }
          }
          String kind = sink.substring(0, sink.indexOf(':'));
          for (int c : clients) {
            Cell served = measure(c, seconds, questions, q -> get(base + "/search?k=" + k + "&mode=" + mode
                + "&text=" + URLEncoder.encode(q, StandardCharsets.UTF_8)));
            Cell direct = measure(c, seconds, questions, q -> bare.search(q, k, searchMode, Searcher.fusion(o)));
            searchRows.add(row(kind, c, served, direct));
          }
        }
      }
      String header = String.format(Locale.ROOT, "%-7s %7s | %10s %8s %8s | %10s %8s %8s | %7s %7s", "", "clients",
          "serve /s", "p50 ms", "p99 ms", "bare /s", "p50 ms", "p99 ms", "/s", "p50");
      System.out.println("\n/v1/embeddings, one question per request (serve) vs the model called directly (bare):");
      System.out.println(header);
      embedRows.forEach(System.out::println);
      System.out.printf("%n/search, mode %s, k=%d (serve) vs Searcher.search in-process (bare):%n", mode, k);
      System.out.println(header.replaceFirst("^       ", "sink   "));
      searchRows.forEach(System.out::println);
      System.out.println("\nthe last two columns: serve / bare (throughput, and median latency)");
    });
  }

  private static ServeOptions options(String sink, Path source) {
    return PipelineOptionsFactory.fromArgs("--sink=" + sink, "--output=" + source, "--port=0")
        .as(ServeOptions.class);
  }

  /** A new copy of the file sink's vectors in a Chroma or Milvus collection. */
  private static String copy(String sink, Path source) throws Exception {
    long start = System.nanoTime();
    long n = CopyVectors.copyInto(source, sink);
    System.out.printf(Locale.ROOT, "copied %d vectors to %s in %.1f s%n", n, sink, (System.nanoTime() - start) / 1e9);
    return sink;
  }

  /** The questions of every set in docs/eval: real questions of several shapes. */
  static List<String> questions() throws Exception {
    List<String> all = new ArrayList<>();
    try (var files = Files.list(Path.of("docs/eval"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
        Evaluation.Question.read(f).forEach(q -> all.add(q.text));
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no question sets in docs/eval: run from the repository's root");
    }
    return all;
  }

  /** {@code clients} threads calling {@code call} back to back for {@code seconds}, after a short warm-up. */
  static Cell measure(int clients, double seconds, List<String> questions, Call call) throws Exception {
    for (int i = 0; i < 3; i++) {
      call.run(questions.get(i % questions.size()));
    }
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<List<Double>> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicLong next = new AtomicLong();
    Exception[] failure = new Exception[1];
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      List<Double> mine = new ArrayList<>();
      latencies.add(mine);
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            String q = questions.get((int) (next.getAndIncrement() % questions.size()));
            long t0 = System.nanoTime();
            call.run(q);
            mine.add((System.nanoTime() - t0) / 1e6);
          }
        } catch (Exception e) {
          failure[0] = e;
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double[] all = latencies.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sorted().toArray();
    return new Cell(all.length / elapsed, percentile(all, 0.5), percentile(all, 0.99));
  }

  static double percentile(double[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static String row(String name, int clients, Cell served, Cell direct) {
    return String.format(Locale.ROOT, "%-7s %7d | %10.1f %8.1f %8.1f | %10.1f %8.1f %8.1f | %6.2fx %6.2fx", name,
        clients, served.perSecond, served.p50, served.p99, direct.perSecond, direct.p50, direct.p99,
        served.perSecond / direct.perSecond, served.p50 / direct.p50);
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void post(String url, String body) throws Exception {
    check(HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  private static void get(String url) throws Exception {
    check(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  private static void check(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
    }
  }
}

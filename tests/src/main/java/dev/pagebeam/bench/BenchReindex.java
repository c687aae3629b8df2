package dev.pagebeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.io.chroma.ChromaConnector;
import dev.pagebeam.io.milvus.MilvusConnector;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.pipeline.cli.PagebeamCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bin/pagebeam bench-reindex}: how long readers of a collection's name go without a whole
 * answer while its vectors are rebuilt, the baseline ({@code ingest --recreate}: drop, create,
 * ingest) against {@code reindex} (build beside, switch), side by side in one run on one server.
 * A reader thread asks the name, as a fresh client would, for its record count and one search
 * result, over and over; a poll that fails or counts fewer records than the full collection is a
 * poll without a whole answer.
 */
public final class BenchReindex {
  private BenchReindex() {}

  static final String USAGE = "usage: bin/pagebeam bench-reindex [--input=FILE,FILE...] [--sink=chroma|milvus]"
      + " [--chroma=HOST:PORT] [--milvus=HOST:PORT]\n  readers' time without an answer: ingest --recreate vs"
      + " reindex; servers default to $CHROMA and $MILVUS; see docs/BENCHMARKS.md";

  static final List<String> DEFAULT_INPUT = List.of("r-doc-pdf/R-data.pdf", "r-doc-pdf/R-FAQ.pdf");

  public static void main(String[] args) throws Exception {
    BenchArgs.main("bench-reindex", USAGE, args, Set.of("input", "sink", "chroma", "milvus"), a -> {
      List<String> input = BenchIngest.input(a, DEFAULT_INPUT);
      String[] server = a.server();
      String kind = server[0];
      String address = server[1];
      String name = "bench_reindex_" + UUID.randomUUID().toString().substring(0, 8);
      String sink = kind + "://" + address + "/" + name;
      StoreConnector reader = kind.equals("chroma")
          ? new ChromaConnector(host(address), port(address), "default_tenant", "default_database", name)
          : new MilvusConnector(host(address), port(address), "default", name, false);
      Path work = Files.createTempDirectory("pagebeam-bench-reindex");
      System.out.printf("bench-reindex: %d files into %s%n", input.size(), sink);
      JsonNode first = run(work.resolve("first"), "ingest", "--input=" + String.join(",", input), "--sink=" + sink);
      long records = first.get("vectors_written").asLong();
      System.out.printf("%-34s %11s %7s %17s %22s%n", "rebuild of the same vectors", "command (s)", "polls",
          "polls not whole", "time not whole (ms)");
      double recreate = measure("ingest --recreate (baseline)", reader, records, work.resolve("recreate"), "ingest",
          "--input=" + String.join(",", input), "--sink=" + sink, "--recreate=true");
      double reindex = measure("reindex (first: name -> version)", reader, records, work.resolve("reindex1"),
          "reindex", "--input=" + String.join(",", input), "--sink=" + sink);
      double again = measure("reindex (again)", reader, records, work.resolve("reindex2"), "reindex",
          "--input=" + String.join(",", input), "--sink=" + sink);
      System.out.printf(Locale.ROOT, "reindex / recreate, time without a whole answer: %.5f (first), %.5f (again)"
          + " for %d records%n", reindex / recreate, again / recreate, records);
      switches(reader, name, 50);
    });
  }

  /** Runs one command while the reader polls; prints a row and returns the time without a whole answer. */
  private static double measure(String label, StoreConnector reader, long records, Path output, String... command)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    long[] polls = new long[3]; // polls, polls not whole, nanoseconds not whole
    Thread poller = new Thread(() -> {
      long last = System.nanoTime();
      boolean lastWhole = true;
      while (running.get()) {
        boolean whole = whole(reader, records);
        long now = System.nanoTime();
        polls[0]++;
        if (!whole) {
          polls[1]++;
        }
        // the interval up to a poll counts as not whole when either end of it was not
        if (!whole || !lastWhole) {
          polls[2] += now - last;
        }
        last = now;
        lastWhole = whole;
        try {
          Thread.sleep(2); // a busy reader, not a load test
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-reindex-reader");
    poller.start();
    long started = System.nanoTime();
    run(output, command);
    double seconds = (System.nanoTime() - started) / 1e9;
    running.set(false);
    poller.join();
    double notWholeMs = polls[2] / 1e6;
    System.out.printf(Locale.ROOT, "%-34s %11.1f %7d %17d %22.1f%n", label, seconds, polls[0], polls[1], notWholeMs);
    return notWholeMs;
  }

  /**
   * The switch alone, {@code times} times between the live collection and the version kept beside
   * it, while a reader asks for the name as fast as it can: the polls that find nothing show the
   * window the reader poll above is too coarse to catch.
   */
  private static void switches(StoreConnector reader, String name, int times) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    long[] polls = new long[3]; // polls, polls that found nothing, longest run of them in nanoseconds
    Thread poller = new Thread(() -> {
      try (VectorStore store = reader.open()) {
        long missingSince = 0;
        while (running.get()) {
          boolean found;
          try {
            found = store.describe().exists();
          } catch (Exception e) {
            found = false;
          }
          long now = System.nanoTime();
          polls[0]++;
          if (!found) {
            polls[1]++;
            missingSince = missingSince == 0 ? now : missingSince;
            polls[2] = Math.max(polls[2], now - missingSince);
          } else {
            missingSince = 0;
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "bench-reindex-tight-reader");
    long bound = 0;
    String how = "";
    try (VectorStore store = reader.open()) {
      dev.pagebeam.io.store.CollectionVersions versions = store.versions();
      String live = versions.live();
      java.util.SortedMap<Integer, String> byNumber = versions.byNumber();
      String kept = byNumber.values().stream().filter(v -> !v.equals(live)).reduce((x, y) -> y).orElseThrow();
      int next = byNumber.lastKey() + 1;
      poller.start();
      long started = System.nanoTime();
      for (int i = 0; i < times; i++) {
        dev.pagebeam.io.store.CollectionVersions.Switched s = versions.switchTo(kept,
            dev.pagebeam.io.store.CollectionVersions.versionName(name, next++));
        kept = s.previous();
        bound += s.unresolvedMillis();
        how = s.kind();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      running.set(false);
      poller.join();
      System.out.printf(Locale.ROOT, "%d switches alone (%s), %.2f s: a tight reader polled the name %d times, %d"
          + " found nothing, the longest such run %.1f ms; the switches' own bound: %.1f ms each on average%n",
          times, how, seconds, polls[0], polls[1], polls[2] / 1e6, bound / (double) times);
    }
  }

  /** One reader's question, through a fresh client: the count, and one search result. */
  private static boolean whole(StoreConnector reader, long records) {
    try (VectorStore store = reader.open()) {
      if (!store.describe().exists() || store.count() < records) {
        return false;
      }
      Integer dimension = store.describe().dimension();
      float[] v = new float[dimension == null ? 384 : dimension];
      v[0] = 1;
      return store.search(v, 1).size() == 1;
    } catch (Exception e) {
      return false;
    }
  }

  private static String host(String address) {
    return address.substring(0, address.lastIndexOf(':'));
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** One pagebeam command in this JVM; its SUMMARY. */
  private static JsonNode run(Path output, String... command) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--output=" + output, "--writeImages=false", "--lockDir=" + output.resolveSibling("locks")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = PagebeamCli.run(all.toArray(new String[0]), o, e);
    }
    if (code != 0) {
      throw new IllegalStateException(command[0] + " exited " + code + ": " + err.toString(StandardCharsets.UTF_8));
    }
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("reindex: ") && line.contains("now serves")) {
        System.out.println("  " + line);
      }
      if (line.startsWith("SUMMARY ")) {
        return new ObjectMapper().readTree(line.substring(8));
      }
    }
    throw new IllegalStateException("no SUMMARY line in: " + out.toString(StandardCharsets.UTF_8));
  }
}

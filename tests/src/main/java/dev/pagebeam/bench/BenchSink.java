package dev.pagebeam.bench;

import dev.pagebeam.io.SinkCounters;
import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.chroma.ChromaConnector;
import dev.pagebeam.io.milvus.MilvusBulkFiles;
import dev.pagebeam.io.milvus.MilvusConnector;
import dev.pagebeam.io.store.CollectionGuard;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.io.store.WriteToVectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * {@code bin/pagebeam bench-sink}: vectors per second of pagebeam's sink transform on the
 * DirectRunner next to plain upserts with the same client, batch size and number of requests in
 * flight (threads of a loop each, taking the next slice), in one run, for Chroma and Milvus. Each
 * measurement writes the precomputed vectors into a fresh collection.
 */
public final class BenchSink {
  private BenchSink() {}

  static final String USAGE = "usage: bin/pagebeam bench-sink [--vectors=N] [--batch=N] [--dimension=N] [--rounds=N]"
      + " [--inFlight=N,N...] [--chroma=HOST:PORT] [--milvus=HOST:PORT]\n  vectors/s of the Chroma and Milvus sinks vs"
      + " bare upserts, with each number of requests in flight (default 1,2,4), and Milvus bulk-import files vs upserts; servers default to $CHROMA and"
      + " $MILVUS (scripts/test-servers.sh start); see docs/BENCHMARKS.md";

  public static void main(String[] args) throws Exception {
    Set<String> known = Set.of("vectors", "batch", "dimension", "chroma", "milvus", "rounds", "inFlight");
    BenchArgs.main("bench-sink", USAGE, args, known, a -> {
      int n = a.getInt("vectors", 20_000);
      int batch = a.getInt("batch", 500);
      int dimension = a.getInt("dimension", 384);
      int rounds = a.getInt("rounds", 2);
      List<Integer> inFlight = new ArrayList<>();
      for (String each : a.get("inFlight", "1,2,4").split(",")) {
        inFlight.add(Integer.parseInt(each.trim()));
      }
      String chroma = a.get("chroma", System.getenv().getOrDefault("CHROMA", ""));
      String milvus = a.get("milvus", System.getenv().getOrDefault("MILVUS", ""));
      if (chroma.isEmpty() && milvus.isEmpty()) {
        throw new IllegalArgumentException("no server: start them with eval \"$(scripts/test-servers.sh start)\""
            + " (sets CHROMA and MILVUS) or pass --chroma=HOST:PORT --milvus=HOST:PORT");
      }
      List<VectorRecord> records = records(n, dimension);
      System.out.printf("bench-sink: %d precomputed %d-dimension vectors, upsert batches of %d, best of %d rounds%n",
          n, dimension, batch, rounds);
      List<String> rows = new ArrayList<>();
      for (int requests : inFlight) {
        if (!chroma.isEmpty()) {
          rows.add(row("chroma", chroma, records, dimension, batch, rounds, requests));
        }
        if (!milvus.isEmpty()) {
          rows.add(row("milvus", milvus, records, dimension, batch, rounds, requests));
        }
      }
      System.out.printf("%-8s %8s %9s %20s %20s %7s%n", "sink", "vectors", "in flight", "pipeline vectors/s",
          "bare vectors/s", "ratio");
      rows.forEach(System.out::println);
      if (!milvus.isEmpty()) {
        bulkTable(milvus, records, dimension, batch, rounds);
      }
    });
  }

  /**
   * The first-load path: the same records written as Milvus bulk-import files (ingest --milvusBulk)
   * against upserted with the default 2 requests in flight. What the server then takes to import
   * the files is not in this figure: Milvus Lite does not implement import.
   */
  private static void bulkTable(String address, List<VectorRecord> records, int dimension, int batch, int rounds)
      throws Exception {
    double bestFiles = 0;
    double bestUpserts = 0;
    long[] made = new long[2];
    for (int r = 0; r < rounds; r++) {
      bestUpserts = Math.max(bestUpserts,
          pipeline(connector("milvus", address, "bench_upserts_" + r), records, dimension, batch, 2));
      bestFiles = Math.max(bestFiles, bulk((MilvusConnector) connector("milvus", address, "bench_bulk_" + r), records,
          dimension, made));
    }
    System.out.printf("%nmilvus bulk files (--milvusBulk) vs upserts (2 in flight); the server's import time is not"
        + " in it (Milvus Lite cannot import)%n");
    System.out.printf("%8s %6s %8s %22s %22s %7s%n", "vectors", "files", "MB", "bulk files vectors/s",
        "upserts vectors/s", "ratio");
    System.out.printf(Locale.ROOT, "%8d %6d %8.1f %22.0f %22.0f %6.2fx%n", records.size(), made[0], made[1] / 1e6,
        bestFiles, bestUpserts, bestFiles / bestUpserts);
  }

  /** pagebeam's bulk-file write on the DirectRunner; {@code made} gets the files' count and bytes. */
  static double bulk(MilvusConnector connector, List<VectorRecord> records, int dimension, long[] made)
      throws Exception {
    fresh(connector, dimension);
    Path dir = Files.createTempDirectory("bench-bulk");
    try {
      Pipeline p = Pipeline.create(directOptions());
      SHARED.set(records);
      p.apply(Create.of(starts(records))).apply("EmitRange", ParDo.of(new EmitRangeFn()))
          .setCoder(VectorRecord.RecordCoder.of())
          .apply(MilvusBulkFiles.prepare(connector, dir.toString(), dimension));
      long start = System.nanoTime();
      PipelineResult result = p.run();
      result.waitUntilFinish();
      double rate = records.size() / ((System.nanoTime() - start) / 1e9);
      long written = 0;
      for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(SinkCounters.NAMESPACE, SinkCounters.VECTORS_WRITTEN)).build())
          .getCounters()) {
        written += c.getAttempted();
      }
      if (written != records.size()) {
        throw new IllegalStateException("the bulk files hold " + written + " rows, expected " + records.size());
      }
      List<MatchResult.Metadata> files = MilvusBulkFiles.existingFiles(dir.toString());
      made[0] = files.size();
      made[1] = files.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
      try (VectorStore store = connector.open()) {
        store.drop();
      }
      return rate;
    } finally {
      try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static DirectOptions directOptions() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(1);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    return options;
  }

  private static List<Integer> starts(List<VectorRecord> records) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < records.size(); i += RANGE) {
      starts.add(i);
    }
    return starts;
  }

  private static String row(String kind, String address, List<VectorRecord> records, int dimension, int batch,
      int rounds, int inFlight) throws Exception {
    double bestPipeline = 0;
    double bestBare = 0;
    for (int r = 0; r < rounds; r++) {
      bestBare = Math.max(bestBare,
          bare(connector(kind, address, "bench_bare_" + r), records, dimension, batch, inFlight));
      bestPipeline = Math.max(bestPipeline,
          pipeline(connector(kind, address, "bench_pipeline_" + r), records, dimension, batch, inFlight));
    }
    return String.format(Locale.ROOT, "%-8s %8d %9d %20.0f %20.0f %6.2fx", kind, records.size(), inFlight,
        bestPipeline, bestBare, bestPipeline / bestBare);
  }

  static StoreConnector connector(String kind, String address, String collection) {
    SinkTarget t = SinkTarget.parse(kind + "://" + address + "/" + collection);
    return kind.equals("chroma") ? new ChromaConnector(t.host(), t.port(), "default_tenant", "default_database",
        collection) : new MilvusConnector(t.host(), t.port(), "default", collection, false);
  }

  private static void fresh(StoreConnector connector, int dimension) throws Exception {
    try (VectorStore store = connector.open()) {
      if (store.describe().exists()) {
        store.drop();
      }
      CollectionGuard.prepare(store, "bench-model", dimension, false);
    }
  }

  /**
   * The bare client: {@code inFlight} threads, each with a client of its own, upserting the next
   * slice of {@code batch} records until none is left.
   */
  static double bare(StoreConnector connector, List<VectorRecord> records, int dimension, int batch, int inFlight)
      throws Exception {
    fresh(connector, dimension);
    List<VectorStore> stores = new ArrayList<>();
    for (int t = 0; t < inFlight; t++) {
      stores.add(connector.open());
    }
    ExecutorService threads = Executors.newFixedThreadPool(inFlight);
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> loops = new ArrayList<>();
      long start = System.nanoTime();
      for (VectorStore store : stores) {
        loops.add(threads.submit(() -> {
          for (int i = next.getAndAdd(batch); i < records.size(); i = next.getAndAdd(batch)) {
            store.upsert(records.subList(i, Math.min(records.size(), i + batch)));
          }
          return null;
        }));
      }
      for (Future<?> loop : loops) {
        loop.get();
      }
      double rate = records.size() / ((System.nanoTime() - start) / 1e9);
      check(stores.get(0), records.size());
      stores.get(0).drop();
      return rate;
    } finally {
      threads.shutdownNow();
      stores.forEach(VectorStore::close);
    }
  }

  /** pagebeam's sink transform on the DirectRunner, one worker thread as ingest runs it. */
  static double pipeline(StoreConnector connector, List<VectorRecord> records, int dimension, int batch,
      int inFlight) throws Exception {
    fresh(connector, dimension);
    Pipeline p = Pipeline.create(directOptions());
    // The encoder hands the sink many records per bundle; Create.of(records) would instead cut the
    // input into DirectRunner splits of ~130 records, and the benchmark would measure that source.
    // So the records come from ranges of the precomputed list, one range per input element.
    SHARED.set(records);
    p.apply(Create.of(starts(records))).apply("EmitRange", ParDo.of(new EmitRangeFn()))
        .setCoder(VectorRecord.RecordCoder.of())
        .apply(WriteToVectorStore.to(connector, dimension).withMaxBatchRecords(batch)
            .withMaxRequestsInFlight(inFlight));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double rate = records.size() / ((System.nanoTime() - start) / 1e9);
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(SinkCounters.NAMESPACE, SinkCounters.UPSERT_REQUESTS)).build())
        .getCounters()) {
      System.out.printf(Locale.ROOT, "  %s: %d upsert requests, %.0f records each on average%n",
          connector.describeTarget(), c.getAttempted(), records.size() / (double) c.getAttempted());
    }
    try (VectorStore store = connector.open()) {
      check(store, records.size());
      store.drop();
    }
    return rate;
  }

  private static void check(VectorStore store, int expected) throws Exception {
    long count = store.count();
    if (count != expected) {
      throw new IllegalStateException(store.describeTarget() + " holds " + count + " records, expected " + expected);
    }
  }

  private static final int RANGE = 2_000;
  private static final java.util.concurrent.atomic.AtomicReference<List<VectorRecord>> SHARED =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** Emits the precomputed records of one range (DirectRunner only: they live in this JVM). */
  static final class EmitRangeFn extends DoFn<Integer, VectorRecord> {
    @ProcessElement
    public void process(@Element Integer start, OutputReceiver<VectorRecord> out) {
      List<VectorRecord> all = SHARED.get();
      for (int i = start; i < Math.min(all.size(), start + RANGE); i++) {
        out.output(all.get(i));
      }
    }
  }

  static List<VectorRecord> records(int n, int dimension) {
    Random random = new Random(42);
    List<VectorRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] v = new float[dimension];
      double norm = 0;
      for (int d = 0; d < dimension; d++) {
        v[d] = (float) random.nextGaussian();
        norm += v[d] * v[d];
      }
      for (int d = 0; d < dimension; d++) {
        v[d] /= (float) Math.sqrt(norm);
      }
      String text = "Chunk " + i + " of the benchmark corpus: " + "lorem ipsum dolor sit amet ".repeat(6);
      String source = "/bench/doc-" + (i / 300) + ".pdf";
      out.add(new VectorRecord(String.format("%032x", i), "d".repeat(64), "text_chunk", source, 1 + i % 300, text,
          source + "#page=" + (1 + i % 300), "h".repeat(64), "bench-model", v));
    }
    return out;
  }
}

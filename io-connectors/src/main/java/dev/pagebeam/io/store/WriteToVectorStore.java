package dev.pagebeam.io.store;

import dev.pagebeam.io.CheckDimensionFn;
import dev.pagebeam.io.SinkCounters;
import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.VectorRecord;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Writes vector records to a vector store: CheckDimension, then UpsertBatches (batches bounded by
 * count and by bytes within a bundle, upserted by id with bounded retries). Records whose batch
 * still fails after the retries come out as {@link SinkFailure}s. Once a batch has used up the
 * retries, each batch that starts later is tried once only until one succeeds, so that an outage
 * does not cost the whole retry budget again for every batch (those already in flight beside it
 * spend theirs in the same time).
 *
 * <p>A batch the server refuses (a bad request, which retrying cannot fix) is split in halves until
 * the refused records stand alone: the rest of the batch is written, and each record the server
 * refuses on its own comes out as a {@link SinkFailure} with the server's reason. One bad record
 * costs about 2 log2(batch) small requests, not the batch and not the run. Only a dimension
 * mismatch fails the pipeline: it is the collection, not the records, and every batch would fail.
 *
 * <p>Each instance of the upsert step (a DirectRunner worker thread, a Flink slot) keeps at most
 * {@link #withMaxRequestsInFlight} requests in flight (2 by default).
 */
public final class WriteToVectorStore extends PTransform<PCollection<VectorRecord>, PCollection<SinkFailure>> {
  private final StoreConnector connector;
  private final int dimension;
  private final int maxBatchRecords;
  private final long maxBatchBytes;
  private final RetryPolicy retry;
  private final int maxInFlight;

  private WriteToVectorStore(StoreConnector connector, int dimension, int maxBatchRecords, long maxBatchBytes,
      RetryPolicy retry, int maxInFlight) {
    this.connector = connector;
    this.dimension = dimension;
    this.maxBatchRecords = maxBatchRecords;
    this.maxBatchBytes = maxBatchBytes;
    this.retry = retry;
    this.maxInFlight = maxInFlight;
  }

  public static WriteToVectorStore to(StoreConnector connector, int dimension) {
    return new WriteToVectorStore(connector, dimension, 500, 4L << 20, RetryPolicy.defaults(), 2);
  }

  /** Most records per upsert request. */
  public WriteToVectorStore withMaxBatchRecords(int records) {
    return new WriteToVectorStore(connector, dimension, records, maxBatchBytes, retry, maxInFlight);
  }

  /** Most bytes (vectors, text and metadata) per upsert request. */
  public WriteToVectorStore withMaxBatchBytes(long bytes) {
    return new WriteToVectorStore(connector, dimension, maxBatchRecords, bytes, retry, maxInFlight);
  }

  public WriteToVectorStore withRetry(RetryPolicy policy) {
    return new WriteToVectorStore(connector, dimension, maxBatchRecords, maxBatchBytes, policy, maxInFlight);
  }

  /** Most upsert requests in flight per instance of the upsert step, each on a client of its own. */
  public WriteToVectorStore withMaxRequestsInFlight(int requests) {
    return new WriteToVectorStore(connector, dimension, maxBatchRecords, maxBatchBytes, retry, requests);
  }

  @Override
  public PCollection<SinkFailure> expand(PCollection<VectorRecord> records) {
    if (dimension < 1 || maxBatchRecords < 1 || maxBatchBytes < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("the sink needs a dimension, positive batch bounds and at least one"
          + " request in flight");
    }
    PCollectionTuple checked = CheckDimensionFn.check(records, dimension, connector.describeTarget());
    PCollectionTuple written = checked.get(CheckDimensionFn.OK).apply("UpsertBatches",
        ParDo.of(new UpsertBatchesFn(connector, maxBatchRecords, maxBatchBytes, retry, maxInFlight))
            .withOutputTags(UpsertBatchesFn.FAILED, TupleTagList.empty()));
    written.get(UpsertBatchesFn.FAILED).setCoder(SinkFailure.CODER);
    return org.apache.beam.sdk.values.PCollectionList.of(checked.get(CheckDimensionFn.FAILURES))
        .and(written.get(UpsertBatchesFn.FAILED))
        .apply("SinkFailures", org.apache.beam.sdk.transforms.Flatten.pCollections());
  }

  /** Rough size of a record in a request: floats as JSON or protobuf, text and metadata. */
  static long approximateBytes(VectorRecord r) {
    return r.dimension() * 12L + (r.text() == null ? 0 : r.text().length() * 2L) + r.source().length() * 2L
        + r.ref().length() * 2L + 300;
  }

  /**
   * Cuts batches within a bundle and keeps up to {@code maxInFlight} upsert requests in flight, each
   * on a client of its own (as Flink's {@code AsyncSinkWriter} bounds its in-flight requests): the
   * bundle goes on batching while the server works, a retrying batch waits on its own thread, not
   * the bundle's, and a full set of requests in flight makes the bundle wait (backpressure). A
   * bundle finishes only once its requests have, so a finished bundle's records are written or are
   * failures; a bundle that fails cancels its requests and waits for them before it throws, so
   * nothing of it runs on into the next. Metrics and outputs are applied on the bundle's thread
   * (Beam's metrics container is the thread's), failures at the end of the bundle with their own
   * windows. The request threads end when idle for 30 s, so a worker whose teardown never comes
   * does not keep them (nor, on Flink, the job's classloader they were started under).
   */
  static final class UpsertBatchesFn extends DoFn<VectorRecord, SinkFailure> {
    static final TupleTag<SinkFailure> FAILED = new TupleTag<SinkFailure>() {};

    private final StoreConnector connector;
    private final int maxRecords;
    private final long maxBytes;
    private final RetryPolicy retry;
    private final int maxInFlight;
    /** Every client this instance opened, to be closed at teardown. */
    private transient List<VectorStore> opened;
    /** The clients not in use: a request takes one and gives it back. */
    private transient BlockingQueue<VectorStore> idle;
    private transient ThreadPoolExecutor requests;
    private transient Deque<Future<Outcome>> inFlight;
    /** The bundle's finished requests, whose failures are output when the bundle finishes. */
    private transient List<Outcome> done;
    private transient List<VectorRecord> batch;
    private transient List<BoundedWindow> windows;
    private transient long batchBytes;
    /**
     * Set once a batch used up its retries; cleared by the next request that gets through. A batch
     * that starts while it is set is tried once, without retries.
     */
    private transient volatile String outage;
    /**
     * Set once the server refused, one by one, every record of a batch from several documents;
     * cleared by the next request that gets through. A refused batch that starts while it is set
     * is not split.
     */
    private transient volatile String refusal;

    UpsertBatchesFn(StoreConnector connector, int maxRecords, long maxBytes, RetryPolicy retry, int maxInFlight) {
      this.connector = connector;
      this.maxRecords = maxRecords;
      this.maxBytes = maxBytes;
      this.retry = retry;
      this.maxInFlight = maxInFlight;
    }

    @Setup
    public void setup() throws IOException {
      opened = new ArrayList<>();
      idle = new ArrayBlockingQueue<>(maxInFlight);
      for (int i = 0; i < maxInFlight; i++) {
        VectorStore store = connector.open();
        opened.add(store);
        idle.add(store);
      }
      String name = "pagebeam-sink-" + connector.describeTarget() + "-";
      AtomicInteger threads = new AtomicInteger();
      requests = new ThreadPoolExecutor(maxInFlight, maxInFlight, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
          task -> {
            Thread t = new Thread(task, name + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      requests.allowCoreThreadTimeOut(true);
    }

    @StartBundle
    public void startBundle() {
      if (inFlight != null) {
        abandon(); // left by a bundle that failed
      }
      batch = new ArrayList<>();
      windows = new ArrayList<>();
      batchBytes = 0;
      inFlight = new ArrayDeque<>();
      done = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element VectorRecord r, BoundedWindow window) throws InterruptedException {
      long size = approximateBytes(r);
      if (!batch.isEmpty() && (batch.size() >= maxRecords || batchBytes + size > maxBytes)) {
        try {
          submit();
        } catch (RuntimeException | InterruptedException | Error e) {
          abandon();
          throw e;
        }
      }
      batch.add(r);
      windows.add(window);
      batchBytes += size;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws InterruptedException {
      try {
        submit();
        while (!inFlight.isEmpty()) {
          apply(inFlight.removeFirst());
        }
      } catch (RuntimeException | InterruptedException | Error e) {
        abandon();
        throw e;
      }
      for (Outcome outcome : done) {
        for (int i = 0; i < outcome.failures.size(); i++) {
          BoundedWindow w = outcome.failureWindows.get(i);
          context.output(FAILED, outcome.failures.get(i), w.maxTimestamp(), w);
        }
      }
      inFlight = null;
      done = null;
    }

    /** Hands the batch to a request of its own, once fewer than maxInFlight are under way. */
    private void submit() throws InterruptedException {
      if (batch.isEmpty()) {
        return;
      }
      List<VectorRecord> records = batch;
      List<BoundedWindow> recordWindows = windows;
      batch = new ArrayList<>();
      windows = new ArrayList<>();
      batchBytes = 0;
      while (!inFlight.isEmpty() && (inFlight.size() >= maxInFlight || inFlight.peekFirst().isDone())) {
        apply(inFlight.removeFirst());
      }
      BlockingQueue<VectorStore> clients = idle;
      inFlight.addLast(requests.submit(() -> {
        VectorStore store = clients.take();
        try {
          // what this batch and its halves go by, whatever requests beside it find meanwhile
          Outcome outcome = new Outcome(outage, refusal);
          write(store, records, recordWindows, true, outcome);
          return outcome;
        } finally {
          clients.add(store);
        }
      }));
    }

    /** Waits for a request and applies what it did, on the bundle's thread. */
    private void apply(Future<Outcome> request) throws InterruptedException {
      Outcome outcome;
      try {
        outcome = request.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        // a new exception, so that the trace shows the bundle's thread too; the message is the request's
        throw new IllegalStateException(cause.getMessage(), cause);
      }
      SinkCounters.upsertRequests.inc(outcome.requestSizes.size());
      for (int size : outcome.requestSizes) {
        SinkCounters.vectorsWritten.inc(size);
        SinkCounters.upsertBatch.update(size);
      }
      SinkCounters.sinkFailures.inc(outcome.failures.size());
      done.add(outcome);
    }

    /**
     * A failed bundle's requests: cancelled (interrupted, if running), and waited for, up to a
     * minute, so that none runs on into the next bundle. A request holds a client while it runs, so
     * every client back in the pool means none runs (a cancelled request that never started took
     * none).
     */
    private void abandon() {
      for (Future<Outcome> request : inFlight) {
        request.cancel(true);
      }
      inFlight = null;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (idle.size() < maxInFlight && System.nanoTime() < deadline) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /** Upserts records (a whole batch, or a part of a refused one); returns how many were written. */
    private int write(VectorStore store, List<VectorRecord> records, List<BoundedWindow> recordWindows,
        boolean whole, Outcome outcome) {
      try {
        (outcome.earlierOutage == null ? retry : retry.once()).run("upserting " + records.size() + " records into "
            + connector.describeTarget(), () -> {
              store.upsert(records);
              return null;
            });
        outage = null;
        refusal = null;
        outcome.requestSizes.add(records.size());
        return records.size();
      } catch (StoreException e) {
        if (e.isDimensionMismatch()) {
          // Not these records but the collection: every batch would be refused. Stop the job.
          throw new IllegalStateException(connector.describeTarget() + " refused the records: " + e.getMessage()
              + " Nothing of this batch was written; check the collection's dimension (pagebeam inspect-model)"
              + " or write to a new collection.", e);
        }
        if (e.isTransient()) {
          deadLetter(records, recordWindows, e, outcome);
          return 0;
        }
        return refused(store, records, recordWindows, whole, e, outcome);
      } catch (IOException e) {
        deadLetter(records, recordWindows, e, outcome);
        return 0;
      }
    }

    /**
     * A batch the server refused: its halves are written on their own, down to single records, so
     * that only the records the server refuses by themselves become sink failures. When every
     * record of a batch from two or more documents was refused one by one, the refusal is the
     * collection's, not the records' (a schema changed under the run): until a request gets
     * through, refused batches that start later are not split again, which would cost about twice
     * as many requests as records for the rest of the run.
     */
    private int refused(VectorStore store, List<VectorRecord> records, List<BoundedWindow> recordWindows,
        boolean whole, StoreException e, Outcome outcome) {
      String earlier = outcome.earlierRefusal;
      if (records.size() == 1 || earlier != null) {
        outcome.fail(records, recordWindows, (records.size() == 1 ? "the server refused this record: "
            + e.getMessage() : "the server refused this batch of " + records.size() + " records, not split into"
                + " single records since every record of an earlier batch was refused on its own (" + earlier
                + "): " + e.getMessage()) + ". Nothing of it was written.");
        return 0;
      }
      int half = records.size() / 2;
      int written = write(store, records.subList(0, half), recordWindows.subList(0, half), false, outcome)
          + write(store, records.subList(half, records.size()), recordWindows.subList(half, records.size()), false,
              outcome);
      if (whole && written == 0
          && records.stream().map(VectorRecord::documentId).distinct().limit(2).count() > 1) {
        refusal = "a batch of " + records.size() + " records from several documents";
      }
      return written;
    }

    /** Records a transient failure used up the retries on (or the one try, during an outage). */
    private void deadLetter(List<VectorRecord> records, List<BoundedWindow> recordWindows, IOException e,
        Outcome outcome) {
      String earlier = outcome.earlierOutage;
      outcome.fail(records, recordWindows, (earlier == null ? e.getMessage()
          : "tried once, without retries, since an earlier batch used up its retries (" + earlier + "): "
              + e.getMessage())
          + ". The server may have applied part of this batch before it failed; a rerun upserts the same ids.");
      if (outage == null) {
        outage = "--sinkRetrySeconds=" + retry.maxTotalMillis() / 1000;
      }
    }

    @Teardown
    public void teardown() throws InterruptedException {
      if (requests != null) {
        requests.shutdownNow();
        // the requests end at their next call or retry wait; their clients are closed after them
        requests.awaitTermination(30, TimeUnit.SECONDS);
        requests = null;
      }
      if (opened != null) {
        opened.forEach(VectorStore::close);
        opened = null;
      }
    }
  }

  /** What one batch's request (and the requests a refusal split it into) saw when it started, and did. */
  private static final class Outcome {
    final String earlierOutage;
    final String earlierRefusal;
    /** The size of each request that got through. */
    final List<Integer> requestSizes = new ArrayList<>();
    final List<SinkFailure> failures = new ArrayList<>();
    final List<BoundedWindow> failureWindows = new ArrayList<>();

    Outcome(String earlierOutage, String earlierRefusal) {
      this.earlierOutage = earlierOutage;
      this.earlierRefusal = earlierRefusal;
    }

    void fail(List<VectorRecord> records, List<BoundedWindow> recordWindows, String reason) {
      for (int i = 0; i < records.size(); i++) {
        failures.add(SinkFailure.of(records.get(i), reason));
        failureWindows.add(recordWindows.get(i));
      }
    }
  }

}

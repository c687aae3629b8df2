package dev.pagebeam.io.store;

import dev.pagebeam.io.CheckDimensionFn;
import dev.pagebeam.io.SinkCounters;
import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.VectorRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * retries, the worker tries each later batch once only until one succeeds, so that an outage does
 * not cost the whole retry budget again for every batch.
 *
 * <p>A batch the server refuses (a bad request, which retrying cannot fix) is split in halves until
 * the refused records stand alone: the rest of the batch is written, and each record the server
 * refuses on its own comes out as a {@link SinkFailure} with the server's reason. One bad record
 * costs about 2 log2(batch) small requests, not the batch and not the run. Only a dimension
 * mismatch fails the pipeline: it is the collection, not the records, and every batch would fail.
 */
public final class WriteToVectorStore extends PTransform<PCollection<VectorRecord>, PCollection<SinkFailure>> {
  private final StoreConnector connector;
  private final int dimension;
  private final int maxBatchRecords;
  private final long maxBatchBytes;
  private final RetryPolicy retry;

  private WriteToVectorStore(StoreConnector connector, int dimension, int maxBatchRecords, long maxBatchBytes,
      RetryPolicy retry) {
    this.connector = connector;
    this.dimension = dimension;
    this.maxBatchRecords = maxBatchRecords;
    this.maxBatchBytes = maxBatchBytes;
    this.retry = retry;
  }

  public static WriteToVectorStore to(StoreConnector connector, int dimension) {
    return new WriteToVectorStore(connector, dimension, 500, 4L << 20, RetryPolicy.defaults());
  }

  /** Most records per upsert request. */
  public WriteToVectorStore withMaxBatchRecords(int records) {
    return new WriteToVectorStore(connector, dimension, records, maxBatchBytes, retry);
  }

  /** Most bytes (vectors, text and metadata) per upsert request. */
  public WriteToVectorStore withMaxBatchBytes(long bytes) {
    return new WriteToVectorStore(connector, dimension, maxBatchRecords, bytes, retry);
  }

  public WriteToVectorStore withRetry(RetryPolicy policy) {
    return new WriteToVectorStore(connector, dimension, maxBatchRecords, maxBatchBytes, policy);
  }

  @Override
  public PCollection<SinkFailure> expand(PCollection<VectorRecord> records) {
    if (dimension < 1 || maxBatchRecords < 1 || maxBatchBytes < 1) {
      throw new IllegalArgumentException("the sink needs a dimension and positive batch bounds");
    }
    PCollectionTuple checked = records.apply("CheckDimension",
        ParDo.of(new CheckDimensionFn(dimension, connector.describeTarget()))
            .withOutputTags(CheckDimensionFn.OK, TupleTagList.of(CheckDimensionFn.FAILURES)));
    PCollectionTuple written = checked.get(CheckDimensionFn.OK).apply("UpsertBatches",
        ParDo.of(new UpsertBatchesFn(connector, maxBatchRecords, maxBatchBytes, retry))
            .withOutputTags(UpsertBatchesFn.FAILED, TupleTagList.empty()));
    written.get(UpsertBatchesFn.FAILED).setCoder(SinkFailure.CODER);
    return org.apache.beam.sdk.values.PCollectionList.of(checked.get(CheckDimensionFn.FAILURES)
            .setCoder(SinkFailure.CODER))
        .and(written.get(UpsertBatchesFn.FAILED))
        .apply("SinkFailures", org.apache.beam.sdk.transforms.Flatten.pCollections());
  }

  /** Rough size of a record in a request: floats as JSON or protobuf, text and metadata. */
  static long approximateBytes(VectorRecord r) {
    return r.dimension() * 12L + (r.text() == null ? 0 : r.text().length() * 2L) + r.source().length() * 2L
        + r.ref().length() * 2L + 300;
  }

  static final class UpsertBatchesFn extends DoFn<VectorRecord, SinkFailure> {
    static final TupleTag<SinkFailure> FAILED = new TupleTag<SinkFailure>() {};

    private final StoreConnector connector;
    private final int maxRecords;
    private final long maxBytes;
    private final RetryPolicy retry;
    private transient VectorStore store;
    private transient List<VectorRecord> batch;
    private transient List<BoundedWindow> windows;
    private transient long batchBytes;
    /** Set once a batch used up its retries; cleared by the next batch that gets through. */
    private transient String outage;
    /** Set once the server refused every record of a batch on its own; cleared likewise. */
    private transient String refusal;

    UpsertBatchesFn(StoreConnector connector, int maxRecords, long maxBytes, RetryPolicy retry) {
      this.connector = connector;
      this.maxRecords = maxRecords;
      this.maxBytes = maxBytes;
      this.retry = retry;
    }

    @Setup
    public void setup() throws IOException {
      store = connector.open();
    }

    @StartBundle
    public void startBundle() {
      batch = new ArrayList<>();
      windows = new ArrayList<>();
      batchBytes = 0;
    }

    @ProcessElement
    public void process(@Element VectorRecord r, BoundedWindow window, MultiOutputReceiver out) {
      long size = approximateBytes(r);
      if (!batch.isEmpty() && (batch.size() >= maxRecords || batchBytes + size > maxBytes)) {
        flush((failure, w) -> out.get(FAILED).output(failure));
      }
      batch.add(r);
      windows.add(window);
      batchBytes += size;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      flush((failure, w) -> context.output(FAILED, failure, w.maxTimestamp(), w));
    }

    private interface FailureOutput {
      void output(SinkFailure failure, BoundedWindow window);
    }

    private void flush(FailureOutput out) {
      if (batch.isEmpty()) {
        return;
      }
      List<VectorRecord> records = batch;
      List<BoundedWindow> recordWindows = windows;
      batch = new ArrayList<>();
      windows = new ArrayList<>();
      batchBytes = 0;
      write(records, recordWindows, true, out);
    }

    /** Upserts records (a whole batch, or a part of a refused one); returns how many were written. */
    private int write(List<VectorRecord> records, List<BoundedWindow> recordWindows, boolean whole,
        FailureOutput out) {
      try {
        (outage == null ? retry : retry.once()).run("upserting " + records.size() + " records into "
            + connector.describeTarget(), () -> {
              store.upsert(records);
              return null;
            });
        outage = null;
        refusal = null;
        SinkCounters.vectorsWritten.inc(records.size());
        SinkCounters.upsertRequests.inc();
        SinkCounters.upsertBatch.update(records.size());
        return records.size();
      } catch (StoreException e) {
        if (e.isDimensionMismatch()) {
          // Not these records but the collection: every batch would be refused. Stop the job.
          throw new IllegalStateException(connector.describeTarget() + " refused the records: " + e.getMessage()
              + " Nothing of this batch was written; check the collection's dimension (pagebeam inspect-model)"
              + " or write to a new collection.", e);
        }
        if (e.isTransient()) {
          deadLetter(records, recordWindows, e, out);
          return 0;
        }
        return refused(records, recordWindows, whole, e, out);
      } catch (IOException e) {
        deadLetter(records, recordWindows, e, out);
        return 0;
      }
    }

    /**
     * A batch the server refused: its halves are written on their own, down to single records, so
     * that only the records the server refuses by themselves become sink failures. When every
     * record of a batch from two or more documents was refused one by one, the refusal is the
     * collection's, not the records' (a schema changed under the run): until a batch gets through,
     * later refused batches of this worker are not split again, which would cost about twice as many
     * requests as records for the rest of the run.
     */
    private int refused(List<VectorRecord> records, List<BoundedWindow> recordWindows, boolean whole,
        StoreException e, FailureOutput out) {
      if (records.size() == 1 || refusal != null) {
        String reason = (records.size() == 1 ? "the server refused this record: " + e.getMessage()
            : "the server refused this batch of " + records.size() + " records, not split into single records"
                + " since every record of an earlier batch was refused on its own (" + refusal + "): "
                + e.getMessage())
            + ". Nothing of it was written.";
        SinkCounters.sinkFailures.inc(records.size());
        for (int i = 0; i < records.size(); i++) {
          out.output(SinkFailure.of(records.get(i), reason), recordWindows.get(i));
        }
        return 0;
      }
      int half = records.size() / 2;
      int written = write(records.subList(0, half), recordWindows.subList(0, half), false, out)
          + write(records.subList(half, records.size()), recordWindows.subList(half, records.size()), false, out);
      if (whole && written == 0
          && records.stream().map(VectorRecord::documentId).distinct().limit(2).count() > 1) {
        refusal = "a batch of " + records.size() + " records from several documents";
      }
      return written;
    }

    private void deadLetter(List<VectorRecord> records, List<BoundedWindow> recordWindows, IOException e,
        FailureOutput out) {
      String reason = (outage == null ? e.getMessage()
          : "tried once, without retries, since an earlier batch used up its retries (" + outage + "): "
              + e.getMessage())
          + ". The server may have applied part of this batch before it failed; a rerun upserts the same ids.";
      if (outage == null) {
        outage = "--sinkRetrySeconds=" + retry.maxTotalMillis() / 1000;
      }
      SinkCounters.sinkFailures.inc(records.size());
      for (int i = 0; i < records.size(); i++) {
        out.output(SinkFailure.of(records.get(i), reason), recordWindows.get(i));
      }
    }

    @Teardown
    public void teardown() {
      if (store != null) {
        store.close();
        store = null;
      }
    }
  }

}

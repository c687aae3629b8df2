package dev.pagebeam.io;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The last check before a sink: every vector has the collection's dimension and only finite
 * numbers (a NaN or an infinity matches nothing, and the servers refuse it). A record that fails
 * either is never sent; it goes to {@link #FAILURES}.
 */
public final class CheckDimensionFn extends DoFn<VectorRecord, VectorRecord> {
  public static final TupleTag<VectorRecord> OK = new TupleTag<VectorRecord>() {};
  public static final TupleTag<SinkFailure> FAILURES = new TupleTag<SinkFailure>() {};

  private final int dimension;
  private final String collection;

  /**
   * The check as every sink applies it first: the records that pass under {@link #OK}, the failures
   * (with their coder) under {@link #FAILURES}.
   */
  public static PCollectionTuple check(PCollection<VectorRecord> records, int dimension, String collection) {
    PCollectionTuple checked = records.apply("CheckDimension", ParDo.of(new CheckDimensionFn(dimension, collection))
        .withOutputTags(OK, TupleTagList.of(FAILURES)));
    checked.get(FAILURES).setCoder(SinkFailure.CODER);
    return checked;
  }

  public CheckDimensionFn(int dimension, String collection) {
    this.dimension = dimension;
    this.collection = collection;
  }

  @ProcessElement
  public void process(@Element VectorRecord r, MultiOutputReceiver out) {
    if (r.dimension() != dimension) {
      SinkCounters.sinkFailures.inc();
      out.get(FAILURES).output(SinkFailure.of(r, "vector has " + r.dimension() + " dimensions but " + collection
          + " holds " + dimension + "; not written"));
      return;
    }
    float[] v = r.vector();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        SinkCounters.sinkFailures.inc();
        out.get(FAILURES).output(SinkFailure.of(r, "vector holds " + v[i] + " at index " + i
            + " (the model gave no usable vector for this input); not written"));
        return;
      }
    }
    out.get(OK).output(r);
  }
}

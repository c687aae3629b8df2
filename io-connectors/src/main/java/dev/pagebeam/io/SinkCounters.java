package dev.pagebeam.io;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/** Counters of the sinks (same namespace as the rest of pagebeam: they are SUMMARY keys). */
public final class SinkCounters {
  public static final String NAMESPACE = "pagebeam";
  public static final String VECTORS_WRITTEN = "vectors_written";
  public static final String SINK_FAILURES = "sink_failures";
  public static final String UPSERT_REQUESTS = "upsert_requests";

  public static final Counter vectorsWritten = Metrics.counter(NAMESPACE, VECTORS_WRITTEN);
  public static final Counter sinkFailures = Metrics.counter(NAMESPACE, SINK_FAILURES);
  /** Upsert requests that succeeded: vectors_written / upsert_requests is the mean request size. */
  public static final Counter upsertRequests = Metrics.counter(NAMESPACE, UPSERT_REQUESTS);
  public static final String UPSERT_BATCH = "upsert_batch_records";
  /** Records per successful upsert request (min, max, mean): the batch bounds, observed. */
  public static final Distribution upsertBatch = Metrics.distribution(NAMESPACE, UPSERT_BATCH);

  private SinkCounters() {}
}

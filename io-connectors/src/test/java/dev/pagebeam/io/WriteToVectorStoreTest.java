package dev.pagebeam.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagebeam.io.chroma.ChromaConnector;
import dev.pagebeam.io.store.CollectionGuard;
import dev.pagebeam.io.store.RetryPolicy;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.io.store.WriteToVectorStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sink transform on the DirectRunner against the real servers. */
@ExtendWith(TestPipelineExtension.class)
public class WriteToVectorStoreTest {

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void writesEveryRecordInBoundedBatchesAndDeadLettersWrongDimensionsAndNaN(String kind, TestPipeline p) throws Exception {
    StoreConnector connector = TestServers.connector(kind, TestServers.uniqueCollection("write"));
    try (VectorStore store = connector.open()) {
      CollectionGuard.prepare(store, "test-model", 32, false);
    }
    List<VectorRecord> records = new ArrayList<>(VectorStoreTest.records(1200, 32, "text", 5));
    VectorRecord wrong = VectorStoreTest.records(1, 31, "wrong", 6).get(0);
    records.add(new VectorRecord("f".repeat(32), wrong.documentId(), wrong.type(), wrong.source(), wrong.page(),
        wrong.text(), wrong.ref(), wrong.contentHash(), wrong.modelId(), wrong.vector()));
    // a NaN matches nothing; Chroma refuses it, Milvus Lite would store it
    VectorRecord nan = VectorStoreTest.records(1, 32, "nan", 7).get(0);
    float[] v = nan.vector().clone();
    v[5] = Float.NaN;
    records.add(new VectorRecord("e".repeat(32), nan.documentId(), nan.type(), nan.source(), nan.page(), nan.text(),
        nan.ref(), nan.contentHash(), nan.modelId(), v));
    PCollection<SinkFailure> failed = p.apply(Create.of(records))
        .apply(WriteToVectorStore.to(connector, 32).withMaxBatchRecords(100));
    PAssert.that(failed).satisfies(all -> {
      Map<String, String> reasons = new java.util.TreeMap<>();
      all.forEach(f -> reasons.put(f.recordId(), f.reason()));
      assertThat(reasons).containsOnlyKeys("e".repeat(32), "f".repeat(32));
      assertThat(reasons.get("f".repeat(32))).contains("31 dimensions").contains("32");
      assertThat(reasons.get("e".repeat(32))).contains("NaN at index 5").contains("not written");
      return null;
    });
    PipelineResult result = p.run();
    Map<String, Long> c = counters(result);
    assertThat(c.get(SinkCounters.VECTORS_WRITTEN)).isEqualTo(1200);
    // every request within the bound, and the requests add up to what was written
    DistributionResult batches = batches(result);
    assertThat(batches.getMax()).isLessThanOrEqualTo(100);
    assertThat(batches.getSum()).isEqualTo(1200);
    assertThat(batches.getCount()).isEqualTo(c.get(SinkCounters.UPSERT_REQUESTS)).isGreaterThanOrEqualTo(12);
    try (VectorStore store = connector.open()) {
      assertThat(store.count()).isEqualTo(1200);
      store.drop();
    }
  }

  @Test
  void requestsStayWithinTheByteBoundToo(TestPipeline p) throws Exception {
    StoreConnector connector = TestServers.connector("chroma", TestServers.uniqueCollection("bytes"));
    try (VectorStore store = connector.open()) {
      CollectionGuard.prepare(store, "test-model", 32, false);
    }
    List<VectorRecord> records = VectorStoreTest.records(200, 32, "x".repeat(2000), 5);
    // about 4.8 KB a record with text (less for the page images without text): room for 10 to 12 a
    // request by bytes, where the count bound alone would allow 500
    p.apply(Create.of(records)).apply(WriteToVectorStore.to(connector, 32).withMaxBatchBytes(50_000));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    DistributionResult batches = batches(result);
    assertThat(batches.getMax()).isBetween(2L, 12L);
    assertThat(batches.getSum()).isEqualTo(200);
    assertThat(batches.getCount()).isGreaterThanOrEqualTo(17);
    try (VectorStore store = connector.open()) {
      assertThat(store.count()).isEqualTo(200);
      store.drop();
    }
  }

  static DistributionResult batches(PipelineResult result) {
    for (MetricResult<DistributionResult> d : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(SinkCounters.NAMESPACE, SinkCounters.UPSERT_BATCH)).build())
        .getDistributions()) {
      return d.getCommitted();
    }
    throw new AssertionError("no " + SinkCounters.UPSERT_BATCH + " distribution");
  }

  @Test
  void anUnreachableServerEndsInDeadLettersWithTheReasonAfterBoundedRetries(TestPipeline p) throws Exception {
    StoreConnector nowhere = nowhere();
    PCollection<SinkFailure> failed = p.apply(Create.of(VectorStoreTest.records(30, 8, "t", 7)))
        .apply(WriteToVectorStore.to(nowhere, 8).withRetry(new RetryPolicy(3, 100, 5_000)));
    PAssert.that(failed).satisfies(all -> {
      List<SinkFailure> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list).hasSize(30).allSatisfy(f -> assertThat(f.reason()).contains("unreachable"));
      assertThat(list).anySatisfy(f -> assertThat(f.reason()).contains("failed after 3 attempts")
          .doesNotContain("tried once"));
      return null;
    });
    long started = System.nanoTime();
    Map<String, Long> c = counters(p.run());
    assertThat((System.nanoTime() - started) / 1e9).as("retries are bounded").isLessThan(30);
    assertThat(c.get(SinkCounters.SINK_FAILURES)).isEqualTo(30);
    assertThat(c.getOrDefault(SinkCounters.VECTORS_WRITTEN, 0L)).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void afterOneBatchUsedUpItsRetriesTheNextOnesAreTriedOnceEach(int inFlight, TestPipeline p) throws Exception {
    StoreConnector nowhere = nowhere();
    // one bundle, six batches: the first spends the retry budget (and those in flight beside it,
    // in the same time), the ones after it one attempt each
    PCollection<SinkFailure> failed = p.apply(Create.of(List.of(VectorStoreTest.records(30, 8, "t", 7)))
            .withCoder(org.apache.beam.sdk.coders.ListCoder.of(VectorRecord.RecordCoder.of())))
        .apply(org.apache.beam.sdk.transforms.Flatten.iterables())
        .apply(WriteToVectorStore.to(nowhere, 8).withMaxBatchRecords(5).withRetry(new RetryPolicy(4, 200, 5_000))
            .withMaxRequestsInFlight(inFlight));
    PAssert.that(failed).satisfies(all -> {
      List<SinkFailure> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list).hasSize(30);
      long retried = list.stream().filter(f -> f.reason().contains("failed after 4 attempts")).count();
      long once = list.stream().filter(f -> f.reason().contains("tried once, without retries")).count();
      assertThat(retried).as("the first batches in flight").isEqualTo(5L * inFlight);
      assertThat(once).as("the later batches").isEqualTo(30 - 5L * inFlight);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aDimensionTheServerRefusesStopsThePipelineInsteadOfBeingRetried(TestPipeline p) throws Exception {
    StoreConnector connector = TestServers.connector("chroma", TestServers.uniqueCollection("refuse"));
    try (VectorStore store = connector.open()) {
      store.create(8, "test-model");
      store.upsert(VectorStoreTest.records(1, 8, "fix", 8));
    }
    // The transform is told 6 dimensions (its own check passes), the server holds 8.
    p.apply(Create.of(VectorStoreTest.records(5, 6, "t", 9))).apply(WriteToVectorStore.to(connector, 6));
    assertThatThrownBy(p::run).hasMessageContaining("refused the records").hasMessageContaining("dimension");
    try (VectorStore store = connector.open()) {
      assertThat(store.count()).isEqualTo(1);
      store.drop();
    }
  }

  /** The sink's counters of a run, once it has finished (also used by the store package's tests). */
  public static Map<String, Long> counters(PipelineResult result) {
    result.waitUntilFinish();
    Iterable<MetricResult<Long>> counters = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(SinkCounters.NAMESPACE)).build()).getCounters();
    return StreamSupport.stream(counters.spliterator(), false)
        .collect(Collectors.toMap(m -> m.getName().getName(), MetricResult::getCommitted, Long::sum));
  }

  /** A Chroma connector to a port nothing listens on. */
  private static StoreConnector nowhere() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    return new ChromaConnector("127.0.0.1", closedPort, "default_tenant", "default_database", "gone")
        .withTimeouts(1, 2);
  }
}

package dev.pagebeam.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagebeam.io.chroma.ChromaConnector;
import dev.pagebeam.io.store.CollectionGuard;
import dev.pagebeam.io.store.RetryPolicy;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.io.store.WriteToVectorStore;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
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
class WriteToVectorStoreTest {

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void writesEveryRecordInBoundedBatchesAndDeadLettersWrongDimensions(String kind, TestPipeline p) throws Exception {
    StoreConnector connector = TestServers.connector(kind, TestServers.uniqueCollection("write"));
    try (VectorStore store = connector.open()) {
      CollectionGuard.prepare(store, "test-model", 32, false);
    }
    List<VectorRecord> records = new ArrayList<>(VectorStoreTest.records(1200, 32, "text", 5));
    VectorRecord wrong = VectorStoreTest.records(1, 31, "wrong", 6).get(0);
    records.add(new VectorRecord("f".repeat(32), wrong.documentId(), wrong.type(), wrong.source(), wrong.page(),
        wrong.text(), wrong.ref(), wrong.contentHash(), wrong.modelId(), wrong.vector()));
    PCollection<SinkFailure> failed = p.apply(Create.of(records))
        .apply(WriteToVectorStore.to(connector, 32).withMaxBatchRecords(100));
    PAssert.that(failed).satisfies(all -> {
      assertThat(all).singleElement().satisfies(f -> {
        assertThat(f.recordId()).isEqualTo("f".repeat(32));
        assertThat(f.reason()).contains("31 dimensions").contains("32");
      });
      return null;
    });
    Map<String, Long> c = counters(p.run());
    assertThat(c.get(SinkCounters.VECTORS_WRITTEN)).isEqualTo(1200);
    try (VectorStore store = connector.open()) {
      assertThat(store.count()).isEqualTo(1200);
      store.drop();
    }
  }

  @Test
  void anUnreachableServerEndsInDeadLettersWithTheReasonAfterBoundedRetries(TestPipeline p) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    StoreConnector nowhere = new ChromaConnector("127.0.0.1", closedPort, "default_tenant", "default_database",
        "gone").withTimeouts(1, 2);
    PCollection<SinkFailure> failed = p.apply(Create.of(VectorStoreTest.records(30, 8, "t", 7)))
        .apply(WriteToVectorStore.to(nowhere, 8).withRetry(new RetryPolicy(3, 100, 5_000)));
    PAssert.that(failed).satisfies(all -> {
      List<SinkFailure> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list).hasSize(30).allSatisfy(f -> assertThat(f.reason()).contains("failed after 3 attempts")
          .contains("unreachable"));
      return null;
    });
    long started = System.nanoTime();
    Map<String, Long> c = counters(p.run());
    assertThat((System.nanoTime() - started) / 1e9).as("retries are bounded").isLessThan(30);
    assertThat(c.get(SinkCounters.SINK_FAILURES)).isEqualTo(30);
    assertThat(c.getOrDefault(SinkCounters.VECTORS_WRITTEN, 0L)).isZero();
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

  static Map<String, Long> counters(PipelineResult result) {
    result.waitUntilFinish();
    Iterable<MetricResult<Long>> counters = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(SinkCounters.NAMESPACE)).build()).getCounters();
    return StreamSupport.stream(counters.spliterator(), false)
        .collect(Collectors.toMap(m -> m.getName().getName(), MetricResult::getCommitted, Long::sum));
  }
}

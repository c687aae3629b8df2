package dev.pagebeam.io.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagebeam.io.SinkCounters;
import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.TestServers;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.WriteToVectorStoreTest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTagList;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upsert step against the real servers: requests in flight, bounded; records a server refuses
 * cost only themselves: the rest of their batch is written, and the
 * run goes on. What each server refuses: Chroma a NaN in the vector (which {@code CheckDimensionFn}
 * keeps from the sink in a pipeline, so these tests write past it; Milvus Lite stores it), Milvus an
 * id longer than its 64-character primary key.
 */
@ExtendWith(TestPipelineExtension.class)
class UpsertBatchesTest {

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void aRefusedRecordBecomesASinkFailureAndTheRestOfItsBatchIsWritten(String kind, TestPipeline p)
      throws Exception {
    StoreConnector connector = newCollection(kind, "refused");
    List<VectorRecord> records = records(250, 0);
    records.set(137, poisoned(kind, records.get(137)));
    PCollection<SinkFailure> failed = upsert(p, records, connector, 100, 3);
    PAssert.that(failed).satisfies(all -> {
      assertThat(all).singleElement().satisfies(f -> {
        assertThat(f.recordId()).isEqualTo(records.get(137).id());
        assertThat(f.reason()).startsWith("the server refused this record: ");
      });
      return null;
    });
    Map<String, Long> c = WriteToVectorStoreTest.counters(p.run());
    assertThat(c.get(SinkCounters.VECTORS_WRITTEN)).isEqualTo(249);
    assertThat(c.get(SinkCounters.SINK_FAILURES)).isEqualTo(1);
    // two whole batches, and the refused one in halves down to the record: about 2 log2(100)
    assertThat(c.get(SinkCounters.UPSERT_REQUESTS)).isBetween(3L, 2L + 2 * 7);
    try (VectorStore store = connector.open()) {
      assertThat(store.count()).isEqualTo(249);
      store.drop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void whenEveryRecordOfABatchIsRefusedTheLaterRefusedBatchesAreNotSplitAgain(String kind, TestPipeline p)
      throws Exception {
    StoreConnector connector = newCollection(kind, "refusing");
    // batches of 10: three of bad records from two documents each, then two of good records, the
    // last of which holds one bad record again
    List<VectorRecord> records = new ArrayList<>();
    for (VectorRecord r : records(30, 1)) {
      records.add(poisoned(kind, r));
    }
    records.addAll(records(20, 2));
    records.set(44, poisoned(kind, records.get(44)));
    // one request in flight: the batches are answered in order
    PCollection<SinkFailure> failed = upsert(p, records, connector, 10, 1);
    PAssert.that(failed).satisfies(all -> {
      List<SinkFailure> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list).hasSize(31);
      // the first batch split down to its records; the next two refused whole; after the good batch
      // cleared the refusal, the mixed one split again
      assertThat(list.stream().filter(f -> f.reason().startsWith("the server refused this record"))).hasSize(11)
          .anySatisfy(f -> assertThat(f.recordId()).isEqualTo(records.get(44).id()));
      assertThat(list.stream().filter(f -> f.reason().contains("not split into single records"))).hasSize(20);
      return null;
    });
    Map<String, Long> c = WriteToVectorStoreTest.counters(p.run());
    assertThat(c.get(SinkCounters.VECTORS_WRITTEN)).isEqualTo(19);
    try (VectorStore store = connector.open()) {
      assertThat(store.count()).isEqualTo(19);
      store.drop();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void atMostTheGivenNumberOfRequestsAreInFlightAndTheyOverlap(int inFlight, TestPipeline p) throws Exception {
    CountingConnector connector = new CountingConnector(newCollection("chroma", "inflight"));
    IN_FLIGHT.set(0);
    MOST_IN_FLIGHT.set(0);
    PCollection<SinkFailure> failed = upsert(p, records(1200, 3), connector, 50, inFlight);
    PAssert.that(failed).empty();
    Map<String, Long> c = WriteToVectorStoreTest.counters(p.run());
    assertThat(c.get(SinkCounters.VECTORS_WRITTEN)).isEqualTo(1200);
    assertThat(c.get(SinkCounters.UPSERT_REQUESTS)).isEqualTo(24);
    // 24 requests of 50 records, each some milliseconds of Chroma's indexing: they overlap as far
    // as allowed, and never further
    assertThat(MOST_IN_FLIGHT.get()).isEqualTo(inFlight);
    try (VectorStore store = connector.open()) {
      assertThat(store.count()).isEqualTo(1200);
      store.drop();
    }
  }

  @org.junit.jupiter.api.Test
  void aFailedBundleLeavesNoRequestRunning(TestPipeline p) throws Exception {
    CountingConnector connector = new CountingConnector(newCollection("chroma", "abandon"));
    try (VectorStore store = connector.open()) {
      store.upsert(records(1, 6)); // Chroma learns a collection's dimension from its first record
    }
    IN_FLIGHT.set(0);
    MOST_IN_FLIGHT.set(0);
    SLOW.set(true);
    // the first batch has 6 dimensions where the collection holds 8: a dimension mismatch fails the
    // bundle at once, while the second batch's request is still at the (slow) server
    List<VectorRecord> records = new ArrayList<>();
    for (VectorRecord r : records(20, 4)) {
      records.add(new VectorRecord(r.id(), r.documentId(), r.type(), r.source(), r.page(), r.text(), r.ref(),
          r.contentHash(), r.modelId(), java.util.Arrays.copyOf(r.vector(), 6)));
    }
    records.addAll(records(20, 5));
    upsert(p, records, connector, 20, 2);
    try {
      assertThatThrownBy(p::run).hasMessageContaining("refused the records").hasMessageContaining("dimension");
      assertThat(IN_FLIGHT.get()).as("requests still running when the run has failed").isZero();
    } finally {
      SLOW.set(false);
    }
    try (VectorStore store = connector.open()) {
      store.drop();
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean SLOW = new java.util.concurrent.atomic.AtomicBoolean();
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  private static final AtomicInteger MOST_IN_FLIGHT = new AtomicInteger();

  /** The real client, with its upserts counted while they run (the DirectRunner shares this JVM). */
  private static final class CountingConnector implements StoreConnector {
    private static final long serialVersionUID = 1L;
    private final StoreConnector real;

    CountingConnector(StoreConnector real) {
      this.real = real;
    }

    @Override
    public VectorStore open() throws java.io.IOException {
      VectorStore store = real.open();
      return (VectorStore) Proxy.newProxyInstance(VectorStore.class.getClassLoader(),
          new Class<?>[] {VectorStore.class}, (proxy, method, args) -> {
            boolean upsert = method.getName().equals("upsert");
            if (upsert) {
              MOST_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
            }
            try {
              if (upsert) {
                Thread.sleep(20); // a slower server: the overlap does not hang on a busy machine's timing
                if (SLOW.get() && ((List<?>) args[0]).size() == 20 && ((VectorRecord) ((List<?>) args[0]).get(0))
                    .dimension() == 8) {
                  Thread.sleep(30_000); // a request the server takes long to answer
                }
              }
              return method.invoke(store, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            } finally {
              if (upsert) {
                IN_FLIGHT.decrementAndGet();
              }
            }
          });
    }

    @Override
    public String describeTarget() {
      return real.describeTarget();
    }
  }

  private static StoreConnector newCollection(String kind, String prefix) throws Exception {
    StoreConnector connector = TestServers.connector(kind, TestServers.uniqueCollection(prefix));
    try (VectorStore store = connector.open()) {
      store.create(8, "test-model");
    }
    return connector;
  }

  /** The records in one bundle, in order, through the upsert step alone, up to inFlight requests at once. */
  private static PCollection<SinkFailure> upsert(TestPipeline p, List<VectorRecord> records,
      StoreConnector connector, int batch, int inFlight) {
    return p.apply(Create.of(List.of(records)).withCoder(ListCoder.of(VectorRecord.RecordCoder.of())))
        .apply(Flatten.iterables())
        .apply(ParDo.of(new WriteToVectorStore.UpsertBatchesFn(connector, batch, 4L << 20,
                new RetryPolicy(2, 100, 2_000), inFlight))
            .withOutputTags(WriteToVectorStore.UpsertBatchesFn.FAILED, TupleTagList.empty()))
        .get(WriteToVectorStore.UpsertBatchesFn.FAILED).setCoder(SinkFailure.CODER);
  }

  /** n records of 8 dimensions, five a document, ids unique per seed. */
  private static List<VectorRecord> records(int n, int seed) {
    Random random = new Random(seed);
    List<VectorRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[8];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) random.nextGaussian();
      }
      String source = "/corpus/doc-" + seed + "-" + i / 5 + ".pdf";
      out.add(new VectorRecord(String.format("%08x%024x", seed, i), String.format("%064x", seed * 1000 + i / 5),
          "text_chunk", source, 1 + i % 5, "chunk " + i + " of " + source, source + "#page=" + (1 + i % 5),
          "h".repeat(64), "test-model", v));
    }
    return out;
  }

  private static VectorRecord poisoned(String kind, VectorRecord r) {
    float[] v = r.vector().clone();
    if (kind.equals("chroma")) {
      v[3] = Float.NaN;
    }
    String id = kind.equals("milvus") ? r.id() + "-" + "x".repeat(64) : r.id();
    return new VectorRecord(id, r.documentId(), r.type(), r.source(), r.page(), r.text(), r.ref(),
        r.contentHash(), r.modelId(), v);
  }
}

package dev.pagebeam.pipeline;

import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.files.FileVectorSink;
import dev.pagebeam.io.files.FileVectorStore;
import dev.pagebeam.io.milvus.MilvusConnector;
import dev.pagebeam.io.store.CollectionGuard;
import dev.pagebeam.io.store.RetryPolicy;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.StoreException;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.io.store.WriteToVectorStore;
import java.io.IOException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/** Turns {@code --sink} and its options into the guard, the write transform and the store for queries. */
final class Sinks {
  private Sinks() {}

  static SinkTarget target(PagebeamOptions o) {
    return o.getSink().isBlank() ? SinkTarget.parse("file:" + o.getOutput()) : SinkTarget.parse(o.getSink());
  }

  /** The connector of a database sink; null for the file sink. */
  static StoreConnector connector(SinkTarget t, PagebeamOptions o) {
    switch (t.kind()) {
      case CHROMA:
        return t.chroma(o.getChromaTenant(), o.getChromaDatabase());
      case MILVUS:
        Secret given = o.getMilvusToken();
        String token = given == null || given.isEmpty() ? System.getenv().getOrDefault("MILVUS_TOKEN", "")
            : given.reveal();
        return new MilvusConnector(t.host(), t.port(), o.getMilvusDatabase(), t.collection(), token, o.getMilvusTls());
      default:
        return null;
    }
  }

  /**
   * The dimension guard, before any PDF is read: creates the collection or checks it against the
   * model. An unreachable server is a configuration error too.
   */
  static String prepare(SinkTarget t, PagebeamOptions o, String model, int dimension) throws IOException {
    VectorStore store = open(t, o);
    try (store) {
      return CollectionGuard.prepare(store, model, dimension, o.getRecreate());
    } catch (StoreException e) {
      if (e.isTransient()) {
        throw new IllegalArgumentException("cannot reach " + store.describeTarget() + ": " + e.getMessage()
            + ". Start the server or fix --sink; nothing was read.", e);
      }
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static PTransform<PCollection<VectorRecord>, PCollection<SinkFailure>> write(SinkTarget t, PagebeamOptions o,
      int dimension) {
    if (t.kind() == SinkTarget.Kind.FILE) {
      return FileVectorSink.write(t.directory(), dimension);
    }
    return WriteToVectorStore.to(connector(t, o), dimension)
        .withMaxBatchRecords(o.getSinkBatchSize())
        .withRetry(new RetryPolicy(Integer.MAX_VALUE, 500, o.getSinkRetrySeconds() * 1000L));
  }

  static VectorStore open(SinkTarget t, PagebeamOptions o) throws IOException {
    return t.kind() == SinkTarget.Kind.FILE ? new FileVectorStore(t.directory()) : connector(t, o).open();
  }
}

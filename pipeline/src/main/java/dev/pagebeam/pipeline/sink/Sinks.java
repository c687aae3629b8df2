package dev.pagebeam.pipeline.sink;

import dev.pagebeam.io.chroma.ChromaConnector;

import dev.pagebeam.pipeline.options.Secret;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.io.SecretRef;
import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.files.FileVectorStore;
import dev.pagebeam.io.milvus.MilvusConnector;
import dev.pagebeam.io.store.CollectionGuard;
import dev.pagebeam.io.store.RetryPolicy;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.StoreException;
import dev.pagebeam.io.store.SinkCollection;
import dev.pagebeam.io.store.VectorStore;
import java.io.IOException;

/** Turns {@code --sink} and its options into the guard, the write transform and the store for queries. */
public final class Sinks {
  private Sinks() {}

  public static SinkTarget target(PagebeamOptions o) {
    return o.getSink().isBlank() ? SinkTarget.parse("file:" + o.getOutput()) : SinkTarget.parse(o.getSink());
  }

  /** The connector of a database sink; null for the file sink. */
  public static StoreConnector connector(SinkTarget t, PagebeamOptions o) {
    switch (t.kind()) {
      case CHROMA:
        return new ChromaConnector(t.host(), t.port(), o.getChromaTenant(), o.getChromaDatabase(), t.collection());
      case MILVUS:
        return new MilvusConnector(t.host(), t.port(), o.getMilvusDatabase(), t.collection(), milvusToken(o),
            o.getMilvusTls());
      default:
        return null;
    }
  }

  /**
   * Where the Milvus token is: --milvusToken's value kept in this JVM's memory (the sink resolves it
   * in the same JVM), else --milvusTokenFile, else the MILVUS_TOKEN environment variable where the
   * sink runs. The connector, and so the serialized sink, holds only this reference.
   */
  public static SecretRef milvusToken(PagebeamOptions o) {
    Secret given = o.getMilvusToken();
    if (given != null && !given.isEmpty()) {
      return SecretRef.inMemory(given.reveal());
    }
    if (!o.getMilvusTokenFile().isBlank()) {
      return SecretRef.file(o.getMilvusTokenFile().trim());
    }
    return SecretRef.env(MILVUS_TOKEN_VARIABLE);
  }

  public static final String MILVUS_TOKEN_VARIABLE = "MILVUS_TOKEN";

  /**
   * The dimension guard, before any PDF is read: creates the collection or checks it against the
   * model. An unreachable server is a configuration error too.
   */
  public static String prepare(SinkTarget t, PagebeamOptions o, String model, int dimension) throws IOException {
    SinkCollection store = open(t, o);
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

  /** Retries of a database sink's requests: 0.5 s doubling, for up to --sinkRetrySeconds. */
  public static RetryPolicy retry(PagebeamOptions o) {
    return new RetryPolicy(Integer.MAX_VALUE, 500, o.getSinkRetrySeconds() * 1000L);
  }

  /** The sink's collection for the guard and for searches: the file sink's too. */
  public static SinkCollection open(SinkTarget t, PagebeamOptions o) throws IOException {
    return t.kind() == SinkTarget.Kind.FILE ? new FileVectorStore(t.directory()) : connector(t, o).open();
  }

  /** A database sink's collection with every role (reindex switches its versions). */
  public static VectorStore database(SinkTarget t, PagebeamOptions o) throws IOException {
    if (t.kind() == SinkTarget.Kind.FILE) {
      throw new IllegalArgumentException(t + " is the file sink, which keeps no versions: give a chroma:// or"
          + " milvus:// sink");
    }
    return connector(t, o).open();
  }
}

package dev.pagebeam.io.milvus;

import dev.pagebeam.io.SecretRef;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import java.io.IOException;
import java.util.Objects;

/**
 * Where a Milvus collection is: host, port, database, collection, where the token is and TLS. It
 * holds a {@link SecretRef}, never the token: the connector is part of the serialized sink.
 */
public final class MilvusConnector implements StoreConnector {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;
  private final String database;
  private final String collection;
  private final SecretRef token;
  private final boolean tls;

  /** A connector without a token. */
  public MilvusConnector(String host, int port, String database, String collection, boolean tls) {
    this(host, port, database, collection, SecretRef.none(), tls);
  }

  public MilvusConnector(String host, int port, String database, String collection, SecretRef token, boolean tls) {
    this.host = Objects.requireNonNull(host);
    this.port = port;
    this.database = Objects.requireNonNull(database);
    this.collection = Objects.requireNonNull(collection);
    this.token = Objects.requireNonNull(token, "token");
    this.tls = tls;
    if (!collection.matches("[A-Za-z_][A-Za-z0-9_]{0,254}")) {
      throw new IllegalArgumentException("Milvus collection name '" + collection + "' must start with a letter or '_'"
          + " and hold only letters, digits and '_' (at most 255)");
    }
  }

  @Override
  public VectorStore open() {
    return new MilvusStore(this);
  }

  /** True when the server is Milvus Lite ({@link MilvusStore#isMilvusLite}). */
  public boolean isMilvusLite() throws IOException {
    try (MilvusStore store = new MilvusStore(this)) {
      return store.isMilvusLite();
    }
  }

  @Override
  public String describeTarget() {
    return "milvus://" + host + ":" + port + "/" + collection + ("default".equals(database) ? "" : " (database "
        + database + ")");
  }

  @Override
  public String toString() {
    return describeTarget();
  }

  String uri() {
    return (tls ? "https://" : "http://") + host + ":" + port;
  }

  String host() {
    return host;
  }

  String database() {
    return database;
  }

  String collection() {
    return collection;
  }

  /** Where the token is; resolve it only to connect. */
  SecretRef token() {
    return token;
  }

  boolean tls() {
    return tls;
  }
}

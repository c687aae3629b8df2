package dev.pagebeam.io.chroma;

import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import java.util.Objects;

/** Where a Chroma collection is: host, port, tenant, database and collection name. */
public final class ChromaConnector implements StoreConnector {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;
  private final String tenant;
  private final String database;
  private final String collection;
  private final int connectTimeoutSeconds;
  private final int requestTimeoutSeconds;

  public ChromaConnector(String host, int port, String tenant, String database, String collection) {
    this(host, port, tenant, database, collection, 5, 60);
  }

  private ChromaConnector(String host, int port, String tenant, String database, String collection,
      int connectTimeoutSeconds, int requestTimeoutSeconds) {
    this.host = Objects.requireNonNull(host);
    this.port = port;
    this.tenant = Objects.requireNonNull(tenant);
    this.database = Objects.requireNonNull(database);
    this.collection = Objects.requireNonNull(collection);
    this.connectTimeoutSeconds = connectTimeoutSeconds;
    this.requestTimeoutSeconds = requestTimeoutSeconds;
    if (collection.length() < 3 || collection.length() > 512 || !collection.matches("[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]")) {
      throw new IllegalArgumentException("Chroma collection name '" + collection + "' must be 3-512 characters of"
          + " letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
    }
    if (database.length() < 3) {
      throw new IllegalArgumentException("Chroma database name '" + database + "' must have at least 3 characters");
    }
  }

  public ChromaConnector withTimeouts(int connectSeconds, int requestSeconds) {
    return new ChromaConnector(host, port, tenant, database, collection, connectSeconds, requestSeconds);
  }

  @Override
  public VectorStore open() {
    return new ChromaStore(this);
  }

  @Override
  public String describeTarget() {
    return "chroma://" + host + ":" + port + "/" + collection
        + ("default_tenant".equals(tenant) && "default_database".equals(database) ? ""
            : " (tenant " + tenant + ", database " + database + ")");
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  String tenant() {
    return tenant;
  }

  String database() {
    return database;
  }

  String collection() {
    return collection;
  }

  int connectTimeoutSeconds() {
    return connectTimeoutSeconds;
  }

  int requestTimeoutSeconds() {
    return requestTimeoutSeconds;
  }
}

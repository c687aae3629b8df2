package dev.pagebeam.io;

import dev.pagebeam.io.chroma.ChromaConnector;
import dev.pagebeam.io.milvus.MilvusConnector;
import dev.pagebeam.io.store.StoreConnector;
import java.util.UUID;

/** The real servers scripts/test-servers.sh started (CHROMA and MILVUS, host:port on 127.0.0.1). */
public final class TestServers {
  private TestServers() {}

  public static String address(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set: these tests talk to real servers. Run them with"
          + " scripts/test.sh, or start the servers with `eval \"$(scripts/test-servers.sh start)\"` and export "
          + name + ".");
    }
    return value;
  }

  public static String host(String name) {
    return address(name).split(":")[0];
  }

  public static int port(String name) {
    return Integer.parseInt(address(name).split(":")[1]);
  }

  /** A collection name no other test uses. */
  public static String uniqueCollection(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  public static StoreConnector connector(String kind, String collection) {
    if (kind.equals("chroma")) {
      return new ChromaConnector(host("CHROMA"), port("CHROMA"), "default_tenant", "default_database", collection);
    }
    return new MilvusConnector(host("MILVUS"), port("MILVUS"), "default", collection, false);
  }
}

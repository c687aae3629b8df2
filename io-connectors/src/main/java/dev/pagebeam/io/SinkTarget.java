package dev.pagebeam.io;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A parsed {@code --sink}: {@code file:DIR}, {@code chroma://HOST:PORT/COLLECTION} or
 * {@code milvus://HOST:PORT/COLLECTION}.
 */
public final class SinkTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The three kinds of sink. */
  public enum Kind {
    FILE,
    CHROMA,
    MILVUS
  }

  private final Kind kind;
  private final String directory;
  private final String host;
  private final int port;
  private final String collection;

  private SinkTarget(Kind kind, String directory, String host, int port, String collection) {
    this.kind = kind;
    this.directory = directory;
    this.host = host;
    this.port = port;
    this.collection = collection;
  }

  public static SinkTarget parse(String sink) {
    String s = sink.trim();
    if (s.startsWith("file:")) {
      String dir = s.substring("file:".length());
      if (dir.startsWith("//")) {
        dir = dir.substring(2);
      }
      if (dir.isEmpty()) {
        throw new IllegalArgumentException("--sink=" + sink + " needs a directory: file:/path/to/out");
      }
      return new SinkTarget(Kind.FILE, dir, null, 0, null);
    }
    for (Kind kind : new Kind[] {Kind.CHROMA, Kind.MILVUS}) {
      String scheme = kind.name().toLowerCase(java.util.Locale.ROOT) + "://";
      if (s.startsWith(scheme)) {
        try {
          URI uri = new URI(s);
          String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
          if (uri.getHost() == null || uri.getPort() < 0 || path.isEmpty() || path.contains("/")) {
            throw new IllegalArgumentException("bad " + kind + " sink");
          }
          return new SinkTarget(kind, null, uri.getHost(), uri.getPort(), path);
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new IllegalArgumentException("--sink=" + sink + " is not " + scheme + "HOST:PORT/COLLECTION");
        }
      }
    }
    throw new IllegalArgumentException("--sink=" + sink + " is not a sink: use file:DIR, chroma://HOST:PORT/COLLECTION"
        + " or milvus://HOST:PORT/COLLECTION");
  }

  public Kind kind() {
    return kind;
  }

  public String directory() {
    return directory;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String collection() {
    return collection;
  }

  @Override
  public String toString() {
    return kind == Kind.FILE ? "file:" + directory
        : kind.name().toLowerCase(java.util.Locale.ROOT) + "://" + host + ":" + port + "/" + collection;
  }
}

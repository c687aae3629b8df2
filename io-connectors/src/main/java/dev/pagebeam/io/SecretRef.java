package dev.pagebeam.io;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a secret is, never the secret itself: an environment variable, a file, or (for a value
 * given on the command line) a handle into this JVM's memory. Sinks hold a SecretRef in what Beam
 * serializes and resolve it on the worker, into a local variable, when they connect: a serialized
 * DoFn (which Flink ships to and stores on its JobManager) carries no credential.
 */
public final class SecretRef implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Values given in this JVM (the command line's); the only way to them is a handle, never serialized with them. */
  private static final Map<String, String> IN_MEMORY = new ConcurrentHashMap<>();
  /** One handle per value, however many times the options are read. */
  private static final Map<String, String> HANDLES = new ConcurrentHashMap<>();

  private enum Kind {
    NONE,
    ENV,
    FILE,
    IN_MEMORY
  }

  private final Kind kind;
  private final String where;

  private SecretRef(Kind kind, String where) {
    this.kind = kind;
    this.where = where;
  }

  public static SecretRef none() {
    return new SecretRef(Kind.NONE, "");
  }

  /** The secret is the value of environment variable {@code variable} where it is resolved. */
  public static SecretRef env(String variable) {
    return new SecretRef(Kind.ENV, Objects.requireNonNull(variable));
  }

  /** The secret is the content of {@code path} (surrounding whitespace removed) where it is resolved. */
  public static SecretRef file(String path) {
    return new SecretRef(Kind.FILE, Objects.requireNonNull(path));
  }

  /** Keeps {@code value} in this JVM's memory; the reference resolves only in this JVM. */
  public static SecretRef inMemory(String value) {
    Objects.requireNonNull(value);
    return new SecretRef(Kind.IN_MEMORY, HANDLES.computeIfAbsent(value, v -> {
      String handle = UUID.randomUUID().toString();
      IN_MEMORY.put(handle, v);
      return handle;
    }));
  }

  /** Whether the secret can only be resolved in the JVM that made the reference (not on a cluster's workers). */
  public boolean isThisJvmOnly() {
    return kind == Kind.IN_MEMORY;
  }

  /** The secret, or "" when there is none (no reference, or an unset variable). */
  public String resolve() {
    switch (kind) {
      case ENV:
        return System.getenv().getOrDefault(where, "");
      case FILE:
        try {
          return Files.readString(Path.of(where), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new IllegalStateException("cannot read the secret from " + where + ": " + e.getClass().getSimpleName()
              + " (it must be readable on every worker)");
        }
      case IN_MEMORY:
        String value = IN_MEMORY.get(where);
        if (value == null) {
          throw new IllegalStateException("a secret given on the command line is not available in this JVM (a"
              + " cluster worker): use an environment variable or a file on every worker instead");
        }
        return value;
      default:
        return "";
    }
  }

  @Override
  public String toString() {
    switch (kind) {
      case ENV:
        return "environment variable " + where;
      case FILE:
        return "file " + where;
      case IN_MEMORY:
        return "the command line";
      default:
        return "none";
    }
  }
}

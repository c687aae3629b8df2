package dev.pagebeam.io.store;

import java.io.IOException;

/**
 * A vector store's answer that is not success. Transient failures (connection refused or reset,
 * timeouts, HTTP 5xx, gRPC UNAVAILABLE) may be retried; the rest (a dimension mismatch, a bad
 * request) never are.
 */
public final class StoreException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean transientFailure;
  private final boolean dimensionMismatch;

  private StoreException(String message, Throwable cause, boolean transientFailure, boolean dimensionMismatch) {
    super(message, cause);
    this.transientFailure = transientFailure;
    this.dimensionMismatch = dimensionMismatch;
  }

  public static StoreException transientFailure(String message, Throwable cause) {
    return new StoreException(message, cause, true, false);
  }

  public static StoreException fatal(String message, Throwable cause) {
    return new StoreException(message, cause, false, false);
  }

  public static StoreException dimensionMismatch(String message) {
    return new StoreException(message, null, false, true);
  }

  public boolean isTransient() {
    return transientFailure;
  }

  public boolean isDimensionMismatch() {
    return dimensionMismatch;
  }
}

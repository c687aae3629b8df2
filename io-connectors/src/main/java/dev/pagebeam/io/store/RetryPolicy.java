package dev.pagebeam.io.store;

import java.io.IOException;
import java.io.Serializable;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries of transient store failures on Beam's {@link FluentBackoff}, bounded in attempts and in
 * total time (the calls' time included). Non-transient failures are never retried.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

  private final int maxAttempts;
  private final long initialBackoffMillis;
  private final long maxTotalMillis;

  public RetryPolicy(int maxAttempts, long initialBackoffMillis, long maxTotalMillis) {
    if (maxAttempts < 1 || initialBackoffMillis < 0 || maxTotalMillis < 0) {
      throw new IllegalArgumentException("a retry policy needs at least 1 attempt and non-negative times");
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoffMillis = initialBackoffMillis;
    this.maxTotalMillis = maxTotalMillis;
  }

  /** 8 attempts, 0.5 s doubling to at most 30 s apart, within 2 minutes. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(8, 500, 120_000);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public long maxTotalMillis() {
    return maxTotalMillis;
  }

  /** One attempt, no retries (the sink was found unreachable for a whole retry budget already). */
  public RetryPolicy once() {
    return new RetryPolicy(1, initialBackoffMillis, maxTotalMillis);
  }

  /** Something to run against the store. */
  public interface Call<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code call}, retrying transient {@link StoreException}s and plain I/O errors (connection
   * refused or reset, timeouts). Throws the last failure when attempts or time run out.
   */
  public <T> T run(String what, Call<T> call) throws IOException {
    long start = System.nanoTime();
    BackOff backoff = backoff().backoff();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (IOException e) {
        boolean retriable = !(e instanceof StoreException) || ((StoreException) e).isTransient();
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        long next = retriable ? backoff.nextBackOffMillis() : BackOff.STOP;
        // the budget counts the calls' own time too, not only the waits between them
        if (next == BackOff.STOP || elapsed + next > maxTotalMillis) {
          if (retriable) {
            throw new IOException(what + " failed after " + attempt + " attempts in " + elapsed / 1000.0 + " s: "
                + e.getMessage(), e);
          }
          throw e;
        }
        LOG.warn("{} failed (attempt {}{}), retrying in {} ms: {}", what, attempt,
            maxAttempts == Integer.MAX_VALUE ? ", for up to " + maxTotalMillis / 1000 + " s" : " of " + maxAttempts,
            next, e.getMessage());
        try {
          Sleeper.DEFAULT.sleep(next);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException(what + " interrupted while waiting to retry", e);
        }
      }
    }
  }

  /**
   * Beam's backoff (the one its JdbcIO and ElasticsearchIO retry with): the initial wait doubling,
   * with Beam's +-50% jitter so that many workers retrying one server do not retry in step, at most
   * 30 s apart, for at most {@code maxAttempts} attempts; the total time bound is checked above.
   */
  private FluentBackoff backoff() {
    return FluentBackoff.DEFAULT
        .withInitialBackoff(Duration.millis(Math.max(1, initialBackoffMillis)))
        .withExponent(2.0)
        .withMaxBackoff(Duration.standardSeconds(30))
        .withMaxRetries(maxAttempts - 1);
  }
}

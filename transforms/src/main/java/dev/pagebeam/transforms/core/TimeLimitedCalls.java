package dev.pagebeam.transforms.core;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls that read a file (hashing it, for one), each under a time limit: a read that never returns
 * (a hung network mount, a FIFO without a writer) is abandoned at the limit, its thread left to end
 * on its own, and the next call gets a new thread. One instance per DoFn instance; not thread-safe.
 */
public final class TimeLimitedCalls implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private final String name;
  private ExecutorService executor;

  public TimeLimitedCalls(String name) {
    this.name = name;
  }

  /**
   * The value of {@code call}, or a {@link TimeoutException} when it takes longer than
   * {@code seconds}; what {@code call} throws is rethrown as it is.
   */
  public <T> T call(Callable<T> call, int seconds) throws Exception {
    if (executor == null) {
      executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pagebeam-" + name + "-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    Future<T> future = executor.submit(call);
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      executor.shutdownNow();
      executor = null;
      throw new TimeoutException("took longer than the limit of " + seconds + " s (--fileTimeoutSeconds)");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw (Error) cause;
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}

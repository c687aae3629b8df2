package dev.pagebeam.io.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void transientFailuresAreRetriedUpToTheAttemptsThenReported() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> new RetryPolicy(4, 10, 60_000).run("upsert", () -> {
      calls.incrementAndGet();
      throw new IOException("connection refused");
    })).hasMessageContaining("upsert failed after 4 attempts").hasMessageContaining("connection refused");
    assertThat(calls).hasValue(4);
  }

  @Test
  void aSuccessAfterFailuresReturnsItsValue() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String v = new RetryPolicy(5, 10, 60_000).run("count", () -> {
      if (calls.incrementAndGet() < 3) {
        throw new IOException("reset");
      }
      return "ok";
    });
    assertThat(v).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }

  @Test
  void theTotalTimeBoundsUnlimitedAttempts() {
    AtomicInteger calls = new AtomicInteger();
    long started = System.nanoTime();
    assertThatThrownBy(() -> new RetryPolicy(Integer.MAX_VALUE, 50, 1_500).run("upsert", () -> {
      calls.incrementAndGet();
      throw new IOException("timeout");
    })).hasMessageContaining("failed after");
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(seconds).as("within the budget").isLessThan(1.6);
    assertThat(calls.get()).as("more than one attempt").isGreaterThan(2);
  }

  @Test
  void aFailureThatIsNotTransientIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> new RetryPolicy(8, 10, 60_000).run("create", () -> {
      calls.incrementAndGet();
      throw StoreException.fatal("dimension 768 refused by a 1024-dim collection", null);
    })).hasMessageContaining("768 refused");
    assertThat(calls).hasValue(1);
  }
}

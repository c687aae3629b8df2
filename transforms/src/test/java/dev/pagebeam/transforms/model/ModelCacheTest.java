package dev.pagebeam.transforms.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ModelCacheTest {
  @Test
  void oneLoadForManyConcurrentUsersAndClosedAfterTheLast() throws Exception {
    ModelSpec spec = new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2-q"), DeviceRequest.parse("cpu"), 1, 0);
    long before = ModelCache.loads();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<ModelCache.Lease>> leases = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      leases.add(pool.submit(() -> ModelCache.acquire(spec)));
    }
    List<ModelCache.Lease> held = new ArrayList<>();
    for (Future<ModelCache.Lease> f : leases) {
      held.add(f.get());
    }
    pool.shutdown();
    assertThat(ModelCache.loads() - before).isEqualTo(1);
    assertThat(held.stream().filter(ModelCache.Lease::loadedNow)).hasSize(1);
    assertThat(held.stream().map(ModelCache.Lease::model).distinct()).hasSize(1);
    assertThat(ModelCache.users(spec)).isEqualTo(6);
    float[] v = held.get(3).model().embedTexts(List.of("shared session"), false).vectors[0];
    assertThat(v).hasSize(384);
    for (ModelCache.Lease lease : held) {
      lease.close();
      lease.close(); // closing twice releases once
    }
    assertThat(ModelCache.users(spec)).isZero();
    try (ModelCache.Lease again = ModelCache.acquire(spec)) {
      assertThat(again.loadedNow()).isTrue();
      assertThat(ModelCache.loads() - before).isEqualTo(2);
    }
  }
}

package dev.pagebeam.pipeline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ETA of the progress lines, for a job whose encoder starts late (as on Flink, after the split). */
class ProgressTest {
  static Progress.Snapshot taken(long taken) {
    return new Progress.Snapshot(9, 2224, 10065, taken, taken, 0);
  }

  @Test
  void theEtaUsesTheEncodersRateSinceItStartedNotSinceTheJobDid() {
    Progress.Lines lines = new Progress.Lines(9);
    assertThat(lines.next(taken(0), 72)).doesNotContain("ETA");
    // the encoder's first reading has no rate of its own yet (the whole run's would say 63 min)
    assertThat(lines.next(taken(200), 77)).doesNotContain("ETA");
    assertThat(Progress.line(taken(200), 9, 77)).contains("ETA 63 min");
    // 800 more in 25 s (32 a second): 9,065 left take 283 s; at the rate since the job started,
    // 1,000 in 102 s, it would be 15 min
    assertThat(lines.next(taken(1000), 102)).isEqualTo(
        "progress: 9/9 files, 2224 pages, 1000 vectors (9.8/s), 0 dead letters, ETA 5 min, 102 s");
    assertThat(Progress.line(taken(1000), 9, 102)).contains("ETA 15 min");
    assertThat(lines.next(taken(10065), 400)).doesNotContain("ETA");
  }
}

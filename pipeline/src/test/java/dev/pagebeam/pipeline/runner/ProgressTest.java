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

  static Progress.Snapshot ocr(long files, long taken, long planned) {
    return new Progress.Snapshot(files, 2224, 0, 0, 0, 0).withOcr(taken, planned);
  }

  @Test
  void ocrShowsWhatItHasReadAndItsTimeLeftIsTheEtaWhileItIsTheSlowerStage() {
    Progress.Lines lines = new Progress.Lines(9);
    // every page split, OCR under way, the encoder not started (on the DirectRunner it starts after)
    assertThat(lines.next(ocr(9, 100, 500), 600)).isEqualTo(
        "progress: 9/9 files, 2224 pages, OCR 100/500 pages, 0 vectors (0.0/s), 0 dead letters, 600 s");
    // 100 pages in 100 s: the 300 left take 5 min
    assertThat(lines.next(ocr(9, 200, 500).withImageOcr(0, 40), 700)).isEqualTo(
        "progress: 9/9 files, 2224 pages, OCR 200/500 pages, 0 vectors (0.0/s), 0 dead letters, ETA 5 min (OCR),"
            + " 700 s");
    // images count once OCR has read one: 220 of 540 in all left at 1.1 a second
    assertThat(lines.next(ocr(9, 290, 500).withImageOcr(30, 40), 800)).isEqualTo(
        "progress: 9/9 files, 2224 pages, OCR 290/500 pages and 30/40 images, 0 vectors (0.0/s), 0 dead letters,"
            + " ETA 3 min (OCR), 800 s");
  }

  @Test
  void theEncodersEtaStandsWhenItIsLongerThanOcrs() {
    Progress.Lines lines = new Progress.Lines(9);
    lines.next(new Progress.Snapshot(9, 2224, 10000, 1000, 1000, 0).withOcr(10, 100), 100);
    // the encoder: 1,000 more in 100 s, 8,000 left take 800 s; OCR: 40 left at 0.5 a second, 80 s
    assertThat(lines.next(new Progress.Snapshot(9, 2224, 10000, 2000, 2000, 0).withOcr(60, 100), 200))
        .isEqualTo("progress: 9/9 files, 2224 pages, OCR 60/100 pages, 2000 vectors (10.0/s), 0 dead letters,"
            + " ETA 13 min, 200 s");
  }

  @Test
  void ocrsWorkStillToBePlannedIsReckonedFromTheFilesNotYetSplit() {
    // 3 of 9 files split planned 100 pages: 300 expected, 250 left at 1 a second
    assertThat(Progress.ocrSecondsLeft(ocr(3, 50, 100), 9, 100, 50, 0)).isEqualTo(250.0);
    assertThat(Progress.ocrSecondsLeft(ocr(9, 0, 0), 9, 100, 50, 0)).as("no OCR in this run").isZero();
  }
}

package dev.pagebeam.transforms.split;

/** The per-document time limit, checked cooperatively between PDF operators and pages. */
final class Deadline {
  private final long deadlineNanos;
  private final int seconds;

  private Deadline(int seconds) {
    this.seconds = seconds;
    this.deadlineNanos = System.nanoTime() + seconds * 1_000_000_000L;
  }

  static Deadline inSeconds(int seconds) {
    return new Deadline(seconds);
  }

  void check() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new Exceeded(seconds);
    }
  }

  /** Unchecked so that PDFBox's lenient handling of IOExceptions cannot swallow it. */
  static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exceeded(int seconds) {
      super("document took longer than the limit of " + seconds + " s (--secondsPerDocument)");
    }
  }
}

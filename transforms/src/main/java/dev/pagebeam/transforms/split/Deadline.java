package dev.pagebeam.transforms.split;

/**
 * The time limit of one file task, checked cooperatively: between content-stream operators, on
 * reads of the file's bytes ({@link DeadlineRead}) and between pages. {@link FileTaskRunner} expires
 * it from another thread when the limit has passed.
 */
final class Deadline {
  private final int seconds;
  private volatile long deadlineNanos;

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

  /** Makes the next {@link #check} fail, whatever the clock says. */
  void expire() {
    deadlineNanos = System.nanoTime() - 1;
  }

  int seconds() {
    return seconds;
  }

  /** Unchecked so that PDFBox's lenient handling of IOExceptions cannot swallow it. */
  static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exceeded(int seconds) {
      super(message(seconds));
    }

    static String message(int seconds) {
      return "the file task took longer than the limit of " + seconds + " s (--fileTimeoutSeconds)";
    }
  }
}

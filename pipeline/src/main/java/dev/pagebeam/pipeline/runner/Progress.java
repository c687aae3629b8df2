package dev.pagebeam.pipeline.runner;

import java.util.Locale;

/**
 * What a running job has done, and its progress line: files, pages (where the runner reports them
 * while it runs), vectors and their rate, and an estimate of the time left.
 */
public final class Progress {
  /** At most this long between two progress lines. */
  static final long INTERVAL_SECONDS = 5;

  /**
   * One reading of a running job. {@code pages} is negative when the runner cannot tell yet.
   * {@code encoderTaken} is how much of {@code encoderInput} the encoder has taken in, counted in the
   * same unit: the vectors, where the input holds only what is encoded, or the records the encoder
   * has read, where the input is every record sent to it (page thumbnails a text model skips, too).
   */
  public static final class Snapshot {
    final long files;
    final long pages;
    final long encoderInput;
    final long encoderTaken;
    final long vectors;
    final long deadLetters;

    Snapshot(long files, long pages, long encoderInput, long encoderTaken, long vectors, long deadLetters) {
      this.files = files;
      this.pages = pages;
      this.encoderInput = encoderInput;
      this.encoderTaken = encoderTaken;
      this.vectors = vectors;
      this.deadLetters = deadLetters;
    }
  }

  /**
   * The progress lines of one run. It remembers the first reading in which the encoder had taken
   * anything, and the ETA is the encoder's remaining input at its rate since then: on Flink the
   * encoder starts only once the PDFs are split (a minute and a half of a six-minute job), and the
   * rate over the whole run would put the first ETA at four times the real one.
   */
  public static final class Lines {
    private final long totalFiles;
    private double encoderSeconds = -1;
    private long encoderTaken;

    public Lines(long totalFiles) {
      this.totalFiles = totalFiles;
    }

    public String next(Snapshot s, double seconds) {
      if (encoderSeconds < 0 && s.encoderTaken > 0) {
        encoderSeconds = seconds;
        encoderTaken = s.encoderTaken;
      }
      return line(s, totalFiles, seconds, Math.max(0, encoderSeconds), encoderTaken);
    }
  }

  private Progress() {}

  /** A progress line with the ETA at the encoder's rate over the whole run. */
  static String line(Snapshot s, long totalFiles, double seconds) {
    return line(s, totalFiles, seconds, 0, 0);
  }

  /**
   * {@code progress: 12/22 files, 830 pages, 1800 vectors (45.2/s), 0 dead letters, ETA 2 min, 40 s}.
   * The ETA is the time the encoder's remaining input takes at its rate since it had taken
   * {@code fromTaken} at {@code fromSeconds}; it is left out until the encoder has taken more.
   */
  static String line(Snapshot s, long totalFiles, double seconds, double fromSeconds, long fromTaken) {
    StringBuilder b = new StringBuilder("progress: ").append(s.files).append('/').append(totalFiles).append(" files");
    if (s.pages >= 0) {
      b.append(", ").append(s.pages).append(" pages");
    }
    b.append(", ").append(s.vectors).append(" vectors");
    if (seconds > 0) {
      b.append(String.format(Locale.ROOT, " (%.1f/s)", s.vectors / seconds));
    }
    if (s.deadLetters >= 0) {
      b.append(", ").append(s.deadLetters).append(" dead letters");
    }
    double done = fraction(s, totalFiles);
    if (done > 0 && done < 1 && seconds > fromSeconds && s.encoderTaken > fromTaken) {
      double rate = (s.encoderTaken - fromTaken) / (seconds - fromSeconds);
      b.append(", ETA ").append(duration(s.encoderTaken * (1 - done) / done / rate));
    }
    return b.append(", ").append(Math.round(seconds)).append(" s").toString();
  }

  /**
   * The share of the encoder's work done so far: what it has taken of what was sent to it, scaled
   * up by the files still to be read (every file so far is taken as typical of the rest).
   */
  static double fraction(Snapshot s, long totalFiles) {
    if (totalFiles <= 0 || s.files <= 0 || s.encoderInput <= 0) {
      return 0;
    }
    double expected = (double) s.encoderInput * Math.max(1.0, (double) totalFiles / s.files);
    return Math.min(1.0, s.encoderTaken / expected);
  }

  static String duration(double seconds) {
    if (seconds < 90) {
      return Math.max(1, Math.round(seconds)) + " s";
    }
    if (seconds < 90 * 60) {
      return Math.round(seconds / 60) + " min";
    }
    return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }
}

package dev.pagebeam.pipeline.runner;

import java.util.Locale;

/**
 * What a running job has done, and its progress line: files, pages (where the runner reports them
 * while it runs), OCR's pages (or tasks) taken of those planned, vectors and their rate, and an
 * estimate of the time left from the slower of OCR and the encoder.
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
    /** OCR's work so far and its work known so far, in pages or in tasks ({@link #ocrUnit}). */
    final long ocrTaken;
    final long ocrPlanned;
    final String ocrUnit;
    /** Embedded images OCR has read, of those the split found so far; 0 and 0 when OCR reads none. */
    final long imagesRead;
    final long imagesFound;

    Snapshot(long files, long pages, long encoderInput, long encoderTaken, long vectors, long deadLetters) {
      this(files, pages, encoderInput, encoderTaken, vectors, deadLetters, 0, 0, "pages", 0, 0);
    }

    private Snapshot(long files, long pages, long encoderInput, long encoderTaken, long vectors, long deadLetters,
        long ocrTaken, long ocrPlanned, String ocrUnit, long imagesRead, long imagesFound) {
      this.files = files;
      this.pages = pages;
      this.encoderInput = encoderInput;
      this.encoderTaken = encoderTaken;
      this.vectors = vectors;
      this.deadLetters = deadLetters;
      this.ocrTaken = ocrTaken;
      this.ocrPlanned = ocrPlanned;
      this.ocrUnit = ocrUnit;
      this.imagesRead = imagesRead;
      this.imagesFound = imagesFound;
    }

    /** With OCR's progress on pages: {@code taken} of the {@code planned} pages (or tasks) known so far. */
    Snapshot withOcr(long taken, long planned, String unit) {
      return new Snapshot(files, pages, encoderInput, encoderTaken, vectors, deadLetters, taken, planned, unit,
          imagesRead, imagesFound);
    }

    /** With OCR's progress on embedded images: {@code read} of the {@code found} so far (none read: not shown). */
    Snapshot withImageOcr(long read, long found) {
      return new Snapshot(files, pages, encoderInput, encoderTaken, vectors, deadLetters, ocrTaken, ocrPlanned,
          ocrUnit, read > 0 ? read : 0, read > 0 ? found : 0);
    }

    /** OCR's work taken and known so far, pages (or tasks) and images together. */
    long ocrWorkTaken() {
      return ocrTaken + imagesRead;
    }

    long ocrWorkPlanned() {
      return ocrPlanned + imagesFound;
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
    private double ocrSeconds = -1;
    private long ocrTaken;

    public Lines(long totalFiles) {
      this.totalFiles = totalFiles;
    }

    public String next(Snapshot s, double seconds) {
      if (encoderSeconds < 0 && s.encoderTaken > 0) {
        encoderSeconds = seconds;
        encoderTaken = s.encoderTaken;
      }
      if (ocrSeconds < 0 && s.ocrWorkTaken() > 0) {
        ocrSeconds = seconds;
        ocrTaken = s.ocrWorkTaken();
      }
      String line = line(s, totalFiles, seconds, Math.max(0, encoderSeconds), encoderTaken);
      double ocrLeft = ocrSecondsLeft(s, totalFiles, seconds, Math.max(0, ocrSeconds), ocrTaken);
      if (ocrLeft <= 0) {
        return line;
      }
      // the slowest stage decides: OCR's time left when it is longer than the encoder's (or the
      // encoder has not started: on the DirectRunner it starts once every page is read)
      double encoderLeft = encoderSecondsLeft(s, totalFiles, seconds, Math.max(0, encoderSeconds), encoderTaken);
      if (ocrLeft <= encoderLeft) {
        return line;
      }
      String eta = ", ETA " + duration(ocrLeft) + " (OCR)";
      int at = line.indexOf(", ETA ");
      int end = line.lastIndexOf(", ");
      return (at >= 0 ? line.substring(0, at) : line.substring(0, end)) + eta + line.substring(end);
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
    if (s.ocrPlanned > 0 || s.imagesFound > 0) {
      b.append(", OCR ");
      if (s.ocrPlanned > 0) {
        b.append(Math.min(s.ocrTaken, s.ocrPlanned)).append('/').append(s.ocrPlanned).append(' ').append(s.ocrUnit);
      }
      if (s.imagesFound > 0) {
        b.append(s.ocrPlanned > 0 ? " and " : "").append(Math.min(s.imagesRead, s.imagesFound)).append('/')
            .append(s.imagesFound).append(" images");
      }
    }
    b.append(", ").append(s.vectors).append(" vectors");
    if (seconds > 0) {
      b.append(String.format(Locale.ROOT, " (%.1f/s)", s.vectors / seconds));
    }
    if (s.deadLetters >= 0) {
      b.append(", ").append(s.deadLetters).append(" dead letters");
    }
    double left = encoderSecondsLeft(s, totalFiles, seconds, fromSeconds, fromTaken);
    if (left > 0) {
      b.append(", ETA ").append(duration(left));
    }
    return b.append(", ").append(Math.round(seconds)).append(" s").toString();
  }

  /** The encoder's time left at its rate since {@code fromSeconds}; 0 when it cannot be told. */
  static double encoderSecondsLeft(Snapshot s, long totalFiles, double seconds, double fromSeconds, long fromTaken) {
    double done = fraction(s, totalFiles);
    if (done > 0 && done < 1 && seconds > fromSeconds && s.encoderTaken > fromTaken) {
      double rate = (s.encoderTaken - fromTaken) / (seconds - fromSeconds);
      return s.encoderTaken * (1 - done) / done / rate;
    }
    return 0;
  }

  /**
   * OCR's time left: the pages (or tasks) planned so far, scaled up by the files still to be split,
   * less those taken, at OCR's rate since {@code fromSeconds}; 0 when it cannot be told.
   */
  static double ocrSecondsLeft(Snapshot s, long totalFiles, double seconds, double fromSeconds, long fromTaken) {
    if (s.ocrWorkPlanned() <= 0 || s.files <= 0 || seconds <= fromSeconds || s.ocrWorkTaken() <= fromTaken) {
      return 0;
    }
    double expected = s.ocrWorkPlanned() * Math.max(1.0, (double) totalFiles / s.files);
    double rate = (s.ocrWorkTaken() - fromTaken) / (seconds - fromSeconds);
    return Math.max(0, expected - s.ocrWorkTaken()) / rate;
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

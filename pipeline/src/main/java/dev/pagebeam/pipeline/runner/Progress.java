package dev.pagebeam.pipeline.runner;

import dev.pagebeam.transforms.split.SplitCounters;
import java.util.Locale;
import java.util.Map;

/**
 * What a running job has done, and its progress line: files, pages (where the runner reports them
 * while it runs), OCR's pages and images taken of those found, vectors and their rate, and an
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
    /** Pages OCR has taken up so far, and pages sent to it so far. */
    final long ocrTaken;
    final long ocrPlanned;
    /** Embedded images OCR has read, of those the split found so far; 0 and 0 when OCR reads none. */
    final long imagesRead;
    final long imagesFound;

    Snapshot(long files, long pages, long encoderInput, long encoderTaken, long vectors, long deadLetters) {
      this(files, pages, encoderInput, encoderTaken, vectors, deadLetters, 0, 0, 0, 0);
    }

    private Snapshot(long files, long pages, long encoderInput, long encoderTaken, long vectors, long deadLetters,
        long ocrTaken, long ocrPlanned, long imagesRead, long imagesFound) {
      this.files = files;
      this.pages = pages;
      this.encoderInput = encoderInput;
      this.encoderTaken = encoderTaken;
      this.vectors = vectors;
      this.deadLetters = deadLetters;
      this.ocrTaken = ocrTaken;
      this.ocrPlanned = ocrPlanned;
      this.imagesRead = imagesRead;
      this.imagesFound = imagesFound;
    }

    /** With OCR's progress on pages: {@code taken} of the {@code planned} pages known so far. */
    Snapshot withOcr(long taken, long planned) {
      return new Snapshot(files, pages, encoderInput, encoderTaken, vectors, deadLetters, taken, planned,
          imagesRead, imagesFound);
    }

    /** With OCR's progress on embedded images: {@code read} of the {@code found} so far (none read: not shown). */
    Snapshot withImageOcr(long read, long found) {
      return new Snapshot(files, pages, encoderInput, encoderTaken, vectors, deadLetters, ocrTaken, ocrPlanned,
          read > 0 ? read : 0, read > 0 ? found : 0);
    }

    /** With OCR's progress as pagebeam's counters tell it (pages and embedded images). */
    Snapshot withOcrCounters(Map<String, Long> counters) {
      return withOcr(counters.getOrDefault(SplitCounters.OCR_PAGES_TAKEN, 0L),
          counters.getOrDefault(SplitCounters.OCR_PAGES_PLANNED, 0L))
          .withImageOcr(counters.getOrDefault(SplitCounters.OCR_IMAGES, 0L),
              counters.getOrDefault(SplitCounters.EMBEDDED_IMAGES, 0L));
    }

    /** OCR's work taken and known so far, pages and images together. */
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
      double encoderLeft = encoderSecondsLeft(s, totalFiles, seconds, Math.max(0, encoderSeconds), encoderTaken);
      double ocrLeft = ocrSecondsLeft(s, totalFiles, seconds, Math.max(0, ocrSeconds), ocrTaken);
      // the slowest stage decides: OCR's time left when it is longer than the encoder's (or the
      // encoder has not started: on the DirectRunner it starts once every page is read)
      return ocrLeft > encoderLeft ? line(s, totalFiles, seconds, ocrLeft, " (OCR)")
          : line(s, totalFiles, seconds, encoderLeft, "");
    }
  }

  private Progress() {}

  /**
   * The vectors the encoder will make of what the split counted, or -1 before the split has counted
   * its chunks. A text model embeds every text chunk and every embedded image that has text (a
   * caption or OCR's), never a page thumbnail; a model that encodes images embeds every image, and
   * an embedded image's text as a record of its own. An estimate from above where OCR is off (an
   * image without a caption is then counted only by the encoder) and where an element fails to
   * encode: the ETA runs out a little before the encoder does.
   */
  static long expectedVectors(Map<String, Long> counters, boolean modelEncodesImages) {
    Long chunks = counters.get(SplitCounters.TEXT_CHUNKS);
    if (chunks == null) {
      return -1;
    }
    long embedded = counters.getOrDefault(SplitCounters.EMBEDDED_IMAGES, 0L);
    long imagesWithText = Math.max(0, embedded - counters.getOrDefault(SplitCounters.IMAGES_WITHOUT_TEXT, 0L));
    return modelEncodesImages
        ? chunks + counters.getOrDefault(SplitCounters.PAGE_IMAGES, 0L) + embedded + imagesWithText
        : chunks + imagesWithText;
  }

  /** A progress line with the ETA at the encoder's rate over the whole run. */
  static String line(Snapshot s, long totalFiles, double seconds) {
    return line(s, totalFiles, seconds, encoderSecondsLeft(s, totalFiles, seconds, 0, 0), "");
  }

  /**
   * {@code progress: 12/22 files, 830 pages, 1800 vectors (45.2/s), 0 dead letters, ETA 2 min, 40 s}:
   * the ETA is {@code left} seconds followed by {@code mark}, left out when it is 0 (cannot be told).
   */
  private static String line(Snapshot s, long totalFiles, double seconds, double left, String mark) {
    StringBuilder b = new StringBuilder("progress: ").append(s.files).append('/').append(totalFiles).append(" files");
    if (s.pages >= 0) {
      b.append(", ").append(s.pages).append(" pages");
    }
    if (s.ocrPlanned > 0 || s.imagesFound > 0) {
      b.append(", OCR ");
      if (s.ocrPlanned > 0) {
        b.append(Math.min(s.ocrTaken, s.ocrPlanned)).append('/').append(s.ocrPlanned).append(" pages");
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
    if (left > 0) {
      b.append(", ETA ").append(duration(left)).append(mark);
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
   * OCR's time left: the pages and images found so far, scaled up by the files still to be split,
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

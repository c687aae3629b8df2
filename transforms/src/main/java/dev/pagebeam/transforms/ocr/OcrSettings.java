package dev.pagebeam.transforms.ocr;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What OCR reads and how: the mode, the languages and where their data is, the resolution scanned
 * pages are rendered at, how small images are enlarged, and the time limit per image. Immutable;
 * every {@code withX} returns a validated copy.
 */
public final class OcrSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Scanned pages are rendered at this resolution for OCR. Chosen by measurement (docs/BENCHMARKS.md,
   * bench-ocr): against 200 dpi, 25% more time per page for a third of the character errors on
   * 10 pt text and less than half on 7 pt.
   */
  public static final int DEFAULT_PAGE_DPI = 300;
  /** Embedded images whose long side is below this are enlarged (screenshots are often 96 dpi). */
  public static final int DEFAULT_UPSCALE_BELOW = 1600;
  /** How much such images are enlarged. */
  public static final int UPSCALE_FACTOR = 2;
  public static final int DEFAULT_SECONDS_PER_IMAGE = 60;
  /** Scanned pages per OCR task: tasks are spread over workers (a page takes 1-3 s on one core). */
  public static final int DEFAULT_PAGES_PER_TASK = 8;
  /** Rendered OCR pages are kept below this many pixels (a huge page gets a lower resolution). */
  public static final long MAX_PAGE_PIXELS = 60_000_000L;
  public static final String DEFAULT_LANGUAGES = "eng";

  private static final Pattern LANGUAGES = Pattern.compile("[A-Za-z0-9_]+(\\+[A-Za-z0-9_]+)*");

  private OcrMode mode = OcrMode.AUTO;
  private String languages = DEFAULT_LANGUAGES;
  private String dataDir = "";
  private int pageDpi = DEFAULT_PAGE_DPI;
  private int upscaleBelow = DEFAULT_UPSCALE_BELOW;
  private int secondsPerImage = DEFAULT_SECONDS_PER_IMAGE;
  private int pagesPerTask = DEFAULT_PAGES_PER_TASK;

  private OcrSettings() {}

  public static OcrSettings defaults() {
    return new OcrSettings();
  }

  public static OcrSettings off() {
    return defaults().withMode(OcrMode.OFF);
  }

  private OcrSettings with(Consumer<OcrSettings> change) {
    OcrSettings copy = new OcrSettings();
    copy.mode = mode;
    copy.languages = languages;
    copy.dataDir = dataDir;
    copy.pageDpi = pageDpi;
    copy.upscaleBelow = upscaleBelow;
    copy.secondsPerImage = secondsPerImage;
    copy.pagesPerTask = pagesPerTask;
    change.accept(copy);
    copy.validate();
    return copy;
  }

  private void validate() {
    if (!LANGUAGES.matcher(languages).matches()) {
      throw new IllegalArgumentException("--ocrLanguages=" + languages
          + " must be Tesseract language codes joined by '+', for example eng or eng+deu");
    }
    if (pageDpi < 72 || pageDpi > 600) {
      throw new IllegalArgumentException("--ocrDpi=" + pageDpi + " must be between 72 and 600");
    }
    if (upscaleBelow < 0) {
      throw new IllegalArgumentException("--ocrUpscaleBelow=" + upscaleBelow + " must be 0 (never) or more pixels");
    }
    if (secondsPerImage < 1) {
      throw new IllegalArgumentException("--ocrSecondsPerImage=" + secondsPerImage + " must be at least 1");
    }
    if (pagesPerTask < 1) {
      throw new IllegalArgumentException("OCR pages per task must be at least 1");
    }
    if (!usesBundledData()) {
      Path dir = Path.of(dataDir);
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--ocrDataDir=" + dataDir + " is not a directory");
      }
      List<String> missing = new ArrayList<>();
      for (String language : languageList()) {
        if (!Files.isRegularFile(dir.resolve(language + ".traineddata"))) {
          missing.add(language + ".traineddata");
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("--ocrDataDir=" + dataDir + " lacks " + String.join(", ", missing)
            + ": it must hold the data of every language in --ocrLanguages=" + languages
            + " (the English data pagebeam bundles is in tools/tessdata after a build)");
      }
    } else if (!languages.equals(DEFAULT_LANGUAGES)) {
      throw new IllegalArgumentException("--ocrLanguages=" + languages + " needs --ocrDataDir: pagebeam bundles"
          + " only English (eng); name a folder that holds " + String.join(", ", dataFiles()));
    }
  }

  public OcrSettings withMode(OcrMode mode) {
    return with(s -> s.mode = mode);
  }

  /** Languages ("eng", "eng+deu") and the folder holding their .traineddata ("" for the bundled English). */
  public OcrSettings withLanguages(String languages, String dataDir) {
    return with(s -> {
      s.languages = languages.trim();
      s.dataDir = dataDir == null ? "" : dataDir.trim();
    });
  }

  public OcrSettings withPageDpi(int dpi) {
    return with(s -> s.pageDpi = dpi);
  }

  public OcrSettings withUpscaleBelow(int pixels) {
    return with(s -> s.upscaleBelow = pixels);
  }

  public OcrSettings withSecondsPerImage(int seconds) {
    return with(s -> s.secondsPerImage = seconds);
  }

  public OcrSettings withPagesPerTask(int pages) {
    return with(s -> s.pagesPerTask = pages);
  }

  public OcrMode mode() {
    return mode;
  }

  public boolean enabled() {
    return mode != OcrMode.OFF;
  }

  public String languages() {
    return languages;
  }

  public List<String> languageList() {
    return List.of(languages.split("\\+"));
  }

  private List<String> dataFiles() {
    List<String> files = new ArrayList<>();
    languageList().forEach(l -> files.add(l + ".traineddata"));
    return files;
  }

  /** The folder of the language data, or "" when the bundled English data is used. */
  public String dataDir() {
    return dataDir;
  }

  public boolean usesBundledData() {
    return dataDir.isEmpty();
  }

  public int pageDpi() {
    return pageDpi;
  }

  public int upscaleBelow() {
    return upscaleBelow;
  }

  public int secondsPerImage() {
    return secondsPerImage;
  }

  public int pagesPerTask() {
    return pagesPerTask;
  }

  /** What shapes the text OCR produces, for the ids of OCR text chunks. */
  public String fingerprint() {
    return "ocr=" + languages + (usesBundledData() ? "" : "@dir") + ",dpi=" + pageDpi + ",up=" + upscaleBelow;
  }

  @Override
  public String toString() {
    return "OcrSettings{" + mode.label() + (enabled() ? ", " + languages + (usesBundledData() ? " (bundled)"
        : " from " + dataDir) + ", pages at " + pageDpi + " dpi, images below " + upscaleBelow + " px x"
        + UPSCALE_FACTOR + ", " + secondsPerImage + " s per image" : "") + "}";
  }
}

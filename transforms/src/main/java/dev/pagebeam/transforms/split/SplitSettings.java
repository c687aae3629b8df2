package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.ocr.OcrSettings;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * How PDFs are split: chunk sizes, image sizes and the resource limits that keep hostile files
 * from exhausting memory or time. Immutable; every {@code withX} returns a validated copy.
 */
public final class SplitSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_MAX_TOKENS = 256;
  public static final int DEFAULT_OVERLAP_TOKENS = 32;
  public static final int DEFAULT_THUMBNAIL_SIDE = 224;
  public static final int DEFAULT_MIN_IMAGE_SIZE = 64;
  public static final int DEFAULT_MAX_IMAGE_SIDE = 1024;
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 25_000_000L;
  public static final int DEFAULT_MEMORY_PER_DOCUMENT_MB = 64;
  public static final int DEFAULT_FILE_TIMEOUT_SECONDS = 300;
  public static final int DEFAULT_PAGES_PER_TASK = 64;

  private ModelLocation tokenizerModel = ModelLocation.bundled(ModelLocation.DEFAULT_MODEL);
  private boolean text = true;
  private int maxTokens = DEFAULT_MAX_TOKENS;
  private int overlapTokens = DEFAULT_OVERLAP_TOKENS;
  private boolean pageImages = true;
  private int thumbnailSide = DEFAULT_THUMBNAIL_SIDE;
  private boolean embeddedImages = true;
  private int minImageSize = DEFAULT_MIN_IMAGE_SIZE;
  private int maxImageSide = DEFAULT_MAX_IMAGE_SIDE;
  private long maxImagePixels = DEFAULT_MAX_IMAGE_PIXELS;
  private int memoryPerDocumentMb = DEFAULT_MEMORY_PER_DOCUMENT_MB;
  private int fileTimeoutSeconds = DEFAULT_FILE_TIMEOUT_SECONDS;
  private int pagesPerTask = DEFAULT_PAGES_PER_TASK;
  private OcrSettings ocr = OcrSettings.defaults();

  private SplitSettings() {}

  public static SplitSettings defaults() {
    return new SplitSettings();
  }

  /** A validated copy with {@code change} applied; the fields are only written here. */
  private SplitSettings with(Consumer<SplitSettings> change) {
    SplitSettings copy = new SplitSettings();
    copy.tokenizerModel = tokenizerModel;
    copy.text = text;
    copy.maxTokens = maxTokens;
    copy.overlapTokens = overlapTokens;
    copy.pageImages = pageImages;
    copy.thumbnailSide = thumbnailSide;
    copy.embeddedImages = embeddedImages;
    copy.minImageSize = minImageSize;
    copy.maxImageSide = maxImageSide;
    copy.maxImagePixels = maxImagePixels;
    copy.memoryPerDocumentMb = memoryPerDocumentMb;
    copy.fileTimeoutSeconds = fileTimeoutSeconds;
    copy.pagesPerTask = pagesPerTask;
    copy.ocr = ocr;
    change.accept(copy);
    copy.validate();
    return copy;
  }

  private void validate() {
    if (tokenizerModel == null) {
      throw new IllegalArgumentException("a tokenizer model is required for chunking");
    }
    if (maxTokens < 16 || maxTokens > 8192) {
      throw new IllegalArgumentException("--maxTokens=" + maxTokens + " must be between 16 and 8192");
    }
    if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
      throw new IllegalArgumentException(
          "--overlapTokens=" + overlapTokens + " must be between 0 and half of --maxTokens (" + maxTokens / 2 + ")");
    }
    if (thumbnailSide < 16 || thumbnailSide > 4096) {
      throw new IllegalArgumentException("--thumbnailSize=" + thumbnailSide + " must be between 16 and 4096 pixels");
    }
    if (minImageSize < 1) {
      throw new IllegalArgumentException("--minImageSize=" + minImageSize + " must be at least 1 pixel");
    }
    if (maxImageSide < minImageSize || maxImageSide > 8192) {
      throw new IllegalArgumentException(
          "--maxImageSide=" + maxImageSide + " must be between --minImageSize (" + minImageSize + ") and 8192");
    }
    if (maxImagePixels < (long) minImageSize * minImageSize) {
      throw new IllegalArgumentException("--maxImagePixels=" + maxImagePixels + " is below --minImageSize squared");
    }
    if (memoryPerDocumentMb < 1) {
      throw new IllegalArgumentException("--memoryPerDocumentMb=" + memoryPerDocumentMb + " must be at least 1");
    }
    if (fileTimeoutSeconds < 1) {
      throw new IllegalArgumentException("--fileTimeoutSeconds=" + fileTimeoutSeconds + " must be at least 1");
    }
    if (pagesPerTask < 1) {
      throw new IllegalArgumentException("--pagesPerTask=" + pagesPerTask + " must be at least 1");
    }
    if (ocr == null) {
      throw new IllegalArgumentException("OCR settings are required (OcrSettings.off() for none)");
    }
  }

  public SplitSettings withTokenizerModel(ModelLocation model) {
    return with(s -> s.tokenizerModel = model);
  }

  /** Whether page text is extracted and chunked at all (off only to measure images alone). */
  public SplitSettings withText(boolean enabled) {
    return with(s -> s.text = enabled);
  }

  public SplitSettings withChunking(int maxTokens, int overlapTokens) {
    return with(s -> {
      s.maxTokens = maxTokens;
      s.overlapTokens = overlapTokens;
    });
  }

  public SplitSettings withPageImages(boolean enabled, int thumbnailSide) {
    return with(s -> {
      s.pageImages = enabled;
      s.thumbnailSide = thumbnailSide;
    });
  }

  public SplitSettings withEmbeddedImages(boolean enabled, int minImageSize, int maxImageSide) {
    return with(s -> {
      s.embeddedImages = enabled;
      s.minImageSize = minImageSize;
      s.maxImageSide = maxImageSide;
    });
  }

  public SplitSettings withMaxImagePixels(long maxImagePixels) {
    return with(s -> s.maxImagePixels = maxImagePixels);
  }

  public SplitSettings withLimits(int memoryPerDocumentMb, int fileTimeoutSeconds) {
    return with(s -> {
      s.memoryPerDocumentMb = memoryPerDocumentMb;
      s.fileTimeoutSeconds = fileTimeoutSeconds;
    });
  }

  /** Documents with more pages are split into tasks of this many pages, run in parallel. */
  public SplitSettings withPagesPerTask(int pages) {
    return with(s -> s.pagesPerTask = pages);
  }

  /** What OCR reads (pages without text, embedded images) and how. */
  public SplitSettings withOcr(OcrSettings ocr) {
    return with(s -> s.ocr = ocr);
  }

  public ModelLocation tokenizerModel() {
    return tokenizerModel;
  }

  public boolean text() {
    return text;
  }

  /** Most tokens in one chunk, special tokens included. */
  public int maxTokens() {
    return maxTokens;
  }

  /** Tokens shared by consecutive chunks of a page. */
  public int overlapTokens() {
    return overlapTokens;
  }

  public boolean pageImages() {
    return pageImages;
  }

  /** Long side of rendered page thumbnails, in pixels. */
  public int thumbnailSide() {
    return thumbnailSide;
  }

  public boolean embeddedImages() {
    return embeddedImages;
  }

  /** Embedded images smaller than this in either dimension (pixels) are ignored. */
  public int minImageSize() {
    return minImageSize;
  }

  /** Embedded images are stored downscaled to at most this long side (pixels). */
  public int maxImageSide() {
    return maxImageSide;
  }

  /** Images declaring more pixels than this are never decoded: they become dead letters. */
  public long maxImagePixels() {
    return maxImagePixels;
  }

  /** Main memory PDFBox may use per document before spilling to temporary files. */
  public int memoryPerDocumentMb() {
    return memoryPerDocumentMb;
  }

  /** Time limit of one document, or of each task of a document longer than {@link #pagesPerTask}. */
  public int fileTimeoutSeconds() {
    return fileTimeoutSeconds;
  }

  public int pagesPerTask() {
    return pagesPerTask;
  }

  public OcrSettings ocr() {
    return ocr;
  }

  /** Whether OCR reads page {@code hasText ? with : without} a text layer. */
  public boolean ocrReadsPage(boolean hasText) {
    return text && ocr.mode().readsPage(hasText);
  }

  /**
   * What of these settings shapes a document's records: chunking, which images are taken and at
   * what size, and what OCR reads. Not the limits (memory, time: they decide only whether a file
   * fails), the task sizes, or where the model and the OCR data lie (the model counts by its id).
   */
  public String fingerprint() {
    return "text=" + text + ",tokens=" + maxTokens + "/" + overlapTokens + ",pageImages="
        + (pageImages ? thumbnailSide + "px" : "off") + ",embeddedImages="
        + (embeddedImages ? minImageSize + ".." + maxImageSide + "px<=" + maxImagePixels : "off") + ","
        + (ocr.enabled() ? ocr.mode().label() + " " + ocr.fingerprint() : "ocr=off");
  }

  @Override
  public String toString() {
    return "SplitSettings{model=" + tokenizerModel + ", text=" + text + ", maxTokens=" + maxTokens + ", overlap="
        + overlapTokens + ", pageImages=" + pageImages + "@" + thumbnailSide + "px, embeddedImages=" + embeddedImages
        + " [" + minImageSize + ".." + maxImageSide + "px, <=" + maxImagePixels + " px], memory="
        + memoryPerDocumentMb + "MB, time=" + fileTimeoutSeconds + "s, pagesPerTask=" + pagesPerTask + ", " + ocr + "}";
  }
}

package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.model.ModelLocation;
import java.io.Serializable;

/**
 * How PDFs are split: chunk sizes, image sizes and the resource limits that keep hostile files
 * from exhausting memory or time. Immutable; every {@code withX} validates its value.
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
  public static final int DEFAULT_SECONDS_PER_DOCUMENT = 600;

  private final ModelLocation tokenizerModel;
  private final int maxTokens;
  private final int overlapTokens;
  private final boolean pageImages;
  private final int thumbnailSide;
  private final boolean embeddedImages;
  private final int minImageSize;
  private final int maxImageSide;
  private final long maxImagePixels;
  private final int memoryPerDocumentMb;
  private final int secondsPerDocument;

  private SplitSettings(
      ModelLocation tokenizerModel,
      int maxTokens,
      int overlapTokens,
      boolean pageImages,
      int thumbnailSide,
      boolean embeddedImages,
      int minImageSize,
      int maxImageSide,
      long maxImagePixels,
      int memoryPerDocumentMb,
      int secondsPerDocument) {
    this.tokenizerModel = tokenizerModel;
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
    this.pageImages = pageImages;
    this.thumbnailSide = thumbnailSide;
    this.embeddedImages = embeddedImages;
    this.minImageSize = minImageSize;
    this.maxImageSide = maxImageSide;
    this.maxImagePixels = maxImagePixels;
    this.memoryPerDocumentMb = memoryPerDocumentMb;
    this.secondsPerDocument = secondsPerDocument;
    validate();
  }

  public static SplitSettings defaults() {
    return new SplitSettings(
        ModelLocation.bundled(ModelLocation.DEFAULT_MODEL),
        DEFAULT_MAX_TOKENS,
        DEFAULT_OVERLAP_TOKENS,
        true,
        DEFAULT_THUMBNAIL_SIDE,
        true,
        DEFAULT_MIN_IMAGE_SIZE,
        DEFAULT_MAX_IMAGE_SIDE,
        DEFAULT_MAX_IMAGE_PIXELS,
        DEFAULT_MEMORY_PER_DOCUMENT_MB,
        DEFAULT_SECONDS_PER_DOCUMENT);
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
    if (secondsPerDocument < 1) {
      throw new IllegalArgumentException("--secondsPerDocument=" + secondsPerDocument + " must be at least 1");
    }
  }

  public SplitSettings withTokenizerModel(ModelLocation model) {
    return new SplitSettings(model, maxTokens, overlapTokens, pageImages, thumbnailSide, embeddedImages,
        minImageSize, maxImageSide, maxImagePixels, memoryPerDocumentMb, secondsPerDocument);
  }

  public SplitSettings withChunking(int maxTokens, int overlapTokens) {
    return new SplitSettings(tokenizerModel, maxTokens, overlapTokens, pageImages, thumbnailSide, embeddedImages,
        minImageSize, maxImageSide, maxImagePixels, memoryPerDocumentMb, secondsPerDocument);
  }

  public SplitSettings withPageImages(boolean enabled, int thumbnailSide) {
    return new SplitSettings(tokenizerModel, maxTokens, overlapTokens, enabled, thumbnailSide, embeddedImages,
        minImageSize, maxImageSide, maxImagePixels, memoryPerDocumentMb, secondsPerDocument);
  }

  public SplitSettings withEmbeddedImages(boolean enabled, int minImageSize, int maxImageSide) {
    return new SplitSettings(tokenizerModel, maxTokens, overlapTokens, pageImages, thumbnailSide, enabled,
        minImageSize, maxImageSide, maxImagePixels, memoryPerDocumentMb, secondsPerDocument);
  }

  public SplitSettings withMaxImagePixels(long maxImagePixels) {
    return new SplitSettings(tokenizerModel, maxTokens, overlapTokens, pageImages, thumbnailSide, embeddedImages,
        minImageSize, maxImageSide, maxImagePixels, memoryPerDocumentMb, secondsPerDocument);
  }

  public SplitSettings withLimits(int memoryPerDocumentMb, int secondsPerDocument) {
    return new SplitSettings(tokenizerModel, maxTokens, overlapTokens, pageImages, thumbnailSide, embeddedImages,
        minImageSize, maxImageSide, maxImagePixels, memoryPerDocumentMb, secondsPerDocument);
  }

  public ModelLocation tokenizerModel() {
    return tokenizerModel;
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

  public int secondsPerDocument() {
    return secondsPerDocument;
  }

  @Override
  public String toString() {
    return "SplitSettings{model=" + tokenizerModel + ", maxTokens=" + maxTokens + ", overlap=" + overlapTokens
        + ", pageImages=" + pageImages + "@" + thumbnailSide + "px, embeddedImages=" + embeddedImages + " ["
        + minImageSize + ".." + maxImageSide + "px, <=" + maxImagePixels + " px], memory=" + memoryPerDocumentMb
        + "MB, time=" + secondsPerDocument + "s}";
  }
}

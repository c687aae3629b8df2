package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.core.PagebeamCounters;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/** Beam counters of the split stage; their names are the SUMMARY keys. */
public final class SplitCounters {
  private static final String NAMESPACE = PagebeamCounters.NAMESPACE;
  public static final String FILES_SEEN = "files_seen";
  /** Counted by the ledger, from how each file ended (indexed or split), not here. */
  public static final String FILES_OK = "files_ok";
  /** Counted by the ledger: files whose ledger line says failed. */
  public static final String FILES_FAILED = "files_failed";
  public static final String PAGES = "pages";
  public static final String PAGES_WITHOUT_TEXT = "pages_without_text";
  public static final String TEXT_CHUNKS = "text_chunks";
  public static final String PAGE_IMAGES = "page_images";
  public static final String EMBEDDED_IMAGES = "embedded_images";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String OCR_PAGES = "ocr_pages";
  /** Pages OCR did not read because they rendered nearly blank (rules, a few shapes). */
  public static final String OCR_SKIPPED_PAGES = "ocr_skipped_pages";
  public static final String OCR_IMAGES = "ocr_images";
  /**
   * Pages sent to OCR, and pages OCR has taken up (read, skipped as blank or failed): for the
   * progress line's OCR figure, not SUMMARY keys.
   */
  public static final String OCR_PAGES_PLANNED = "ocr_pages_planned";
  public static final String OCR_PAGES_TAKEN = "ocr_pages_taken";
  public static final String IMAGES_WITHOUT_TEXT = "images_without_text";

  static final Counter filesSeen = Metrics.counter(NAMESPACE, FILES_SEEN);
  static final Counter pages = Metrics.counter(NAMESPACE, PAGES);
  static final Counter pagesWithoutText = Metrics.counter(NAMESPACE, PAGES_WITHOUT_TEXT);
  static final Counter textChunks = Metrics.counter(NAMESPACE, TEXT_CHUNKS);
  static final Counter pageImages = Metrics.counter(NAMESPACE, PAGE_IMAGES);
  static final Counter embeddedImages = Metrics.counter(NAMESPACE, EMBEDDED_IMAGES);
  static final Counter deadLetters = Metrics.counter(NAMESPACE, DEAD_LETTERS);
  static final Counter ocrPages = Metrics.counter(NAMESPACE, OCR_PAGES);
  static final Counter ocrSkippedPages = Metrics.counter(NAMESPACE, OCR_SKIPPED_PAGES);
  static final Counter ocrImages = Metrics.counter(NAMESPACE, OCR_IMAGES);
  static final Counter ocrPagesPlanned = Metrics.counter(NAMESPACE, OCR_PAGES_PLANNED);
  static final Counter ocrPagesTaken = Metrics.counter(NAMESPACE, OCR_PAGES_TAKEN);
  static final Counter imagesWithoutText = Metrics.counter(NAMESPACE, IMAGES_WITHOUT_TEXT);

  private SplitCounters() {}
}

package dev.pagebeam.transforms.split;

/** What splitting one document produced, for counters and progress. */
public final class DocumentOutcome {
  int pageCount;
  int tasks;
  int pages;
  int pagesWithoutText;
  int pageImages;
  int embeddedImages;
  int deadLetters;
  int ocrPages;
  int ocrSkippedPages;
  /** Pages sent to OCR (as tasks, or read in this call), and pages OCR has taken up: progress only. */
  int ocrPagesPlanned;
  int ocrPagesTaken;
  /** Wall time of the call, set by {@link FileTaskRunner}. */
  long millis;
  boolean failed;
  /** "KIND: message" of the whole-file dead letter when {@link #failed}. */
  String failure;
  /** SHA-256 of the file once read, else null. */
  String documentId;

  /** Pages of the document (all of them, not only those processed in this call). */
  public int pageCount() {
    return pageCount;
  }

  /** Tasks the document was split into; 0 when it was processed in one call. */
  public int tasks() {
    return tasks;
  }

  /** Pages processed in this call. */
  public int pages() {
    return pages;
  }

  public int pagesWithoutText() {
    return pagesWithoutText;
  }

  public int pageImages() {
    return pageImages;
  }

  public int embeddedImages() {
    return embeddedImages;
  }

  public int deadLetters() {
    return deadLetters;
  }

  /** Pages read by OCR in this call. */
  public int ocrPages() {
    return ocrPages;
  }

  /** Pages OCR did not read because they rendered nearly blank, in this call. */
  public int ocrSkippedPages() {
    return ocrSkippedPages;
  }

  /** Pages this call sent to OCR (as tasks, or read here). */
  public int ocrPagesPlanned() {
    return ocrPagesPlanned;
  }

  /** Pages OCR took up in this call: read, skipped as nearly blank, or failed. */
  public int ocrPagesTaken() {
    return ocrPagesTaken;
  }

  /** Wall time of the call in milliseconds (0 when it did not run under a {@link FileTaskRunner}). */
  public long millis() {
    return millis;
  }

  /** True when the file as a whole failed (it has a whole-file dead letter). */
  public boolean failed() {
    return failed;
  }
}

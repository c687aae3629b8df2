package dev.pagebeam.transforms.split;

/** What splitting one document produced, for counters and progress. */
public final class DocumentOutcome {
  int pages;
  int pagesWithoutText;
  int pageImages;
  int embeddedImages;
  int deadLetters;
  boolean failed;

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

  /** True when the file as a whole failed (it has a whole-file dead letter). */
  public boolean failed() {
    return failed;
  }
}

package dev.pagebeam.transforms.ocr;

import java.util.Locale;

/** Which parts of a PDF are read by OCR ({@code --ocr}). */
public enum OcrMode {
  /** Pages without a text layer, and embedded images. */
  AUTO,
  /** Every page (for PDFs whose text layer is broken), and embedded images. */
  ALL,
  /** Nothing. */
  OFF;

  public static OcrMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--ocr=" + value + " is not one of auto, all, off");
    }
  }

  public boolean readsImages() {
    return this != OFF;
  }

  /** Whether a page is read: every page in ALL, pages without a text layer in AUTO. */
  public boolean readsPage(boolean pageHasText) {
    return this == ALL || this == AUTO && !pageHasText;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.pagebeam.transforms.elements;

/** Where an element's text comes from. */
public enum TextSource {
  /** The PDF's own text layer. */
  TEXT_LAYER("text_layer"),
  /** OCR of a page or of an image (an image's text may add its caption). */
  OCR("ocr"),
  /** An image's caption (and the lines around it) only: OCR found no text in it. */
  CAPTION("caption");

  private final String label;

  TextSource(String label) {
    this.label = label;
  }

  /** The stable name in records and metadata ({@code text_source}). */
  public String label() {
    return label;
  }
}

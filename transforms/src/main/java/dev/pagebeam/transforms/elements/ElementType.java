package dev.pagebeam.transforms.elements;

/** The three kinds of element a PDF is split into. */
public enum ElementType {
  TEXT_CHUNK("text_chunk"),
  PAGE_IMAGE("page_image"),
  EMBEDDED_IMAGE("embedded_image");

  private final String label;

  ElementType(String label) {
    this.label = label;
  }

  /** The stable, lower-case name used in ids, records and metadata. */
  public String label() {
    return label;
  }

  public boolean isImage() {
    return this != TEXT_CHUNK;
  }

  public static ElementType fromLabel(String label) {
    for (ElementType t : values()) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown element type '" + label + "'");
  }
}

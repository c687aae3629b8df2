package dev.pagebeam.transforms.ocr;

/** The text OCR found in one image, and Tesseract's mean word confidence (0-100). */
public final class OcrResult {
  /** Text read with a lower mean word confidence is noise (photos, textures), not text. */
  public static final int MIN_CONFIDENCE = 50;
  /** Nor is text with fewer letters and digits than this. */
  public static final int MIN_ALPHANUMERICS = 3;

  private final String text;
  private final int meanConfidence;
  private final int words;

  public OcrResult(String text, int meanConfidence, int words) {
    this.text = text;
    this.meanConfidence = meanConfidence;
    this.words = words;
  }

  /** Lines separated by '\n', paragraphs by a blank line; empty when nothing was read. */
  public String text() {
    return text;
  }

  public int meanConfidence() {
    return meanConfidence;
  }

  public int words() {
    return words;
  }

  public boolean isEmpty() {
    return text.isBlank();
  }

  /** Whether this is text worth indexing: confident enough, and more than a stray mark. */
  public boolean isText() {
    if (meanConfidence < MIN_CONFIDENCE) {
      return false;
    }
    int alphanumerics = 0;
    for (int i = 0; i < text.length() && alphanumerics < MIN_ALPHANUMERICS; i++) {
      if (Character.isLetterOrDigit(text.charAt(i))) {
        alphanumerics++;
      }
    }
    return alphanumerics >= MIN_ALPHANUMERICS;
  }
}

package dev.pagebeam.transforms.ocr;

/** OCR of one image failed or ran out of time; the caller makes it a dead letter for that image. */
public final class OcrException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean timeout;

  OcrException(String message, boolean timeout) {
    super(message);
    this.timeout = timeout;
  }

  public boolean isTimeout() {
    return timeout;
  }
}

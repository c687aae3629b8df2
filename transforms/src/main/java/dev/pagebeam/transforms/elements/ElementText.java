package dev.pagebeam.transforms.elements;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * The text an element is embedded with: a chunk of a page's text, or the text read from an image.
 * {@code text} is {@code source[charStart:charEnd]} of the page text (for chunks) or of the image's
 * composed text (caption, OCR text, surrounding lines).
 */
public final class ElementText implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String text;
  private final int chunkIndex;
  private final int charStart;
  private final int charEnd;
  private final int tokenCount;
  private final TextSource source;
  private final int ocrConfidence;

  /**
   * @param ocrConfidence Tesseract's mean word confidence (0-100) when OCR produced the text, else -1
   */
  public ElementText(String text, int chunkIndex, int charStart, int charEnd, int tokenCount, TextSource source,
      int ocrConfidence) {
    this.text = Objects.requireNonNull(text, "text");
    this.chunkIndex = chunkIndex;
    this.charStart = charStart;
    this.charEnd = charEnd;
    this.tokenCount = tokenCount;
    this.source = Objects.requireNonNull(source, "source");
    this.ocrConfidence = ocrConfidence;
  }

  public String text() {
    return text;
  }

  /** 0-based position of the chunk on its page (0 for an image's text). */
  public int chunkIndex() {
    return chunkIndex;
  }

  public int charStart() {
    return charStart;
  }

  public int charEnd() {
    return charEnd;
  }

  /** Tokens the model sees, special tokens included. */
  public int tokenCount() {
    return tokenCount;
  }

  public TextSource source() {
    return source;
  }

  /** Mean OCR word confidence 0-100, or -1 when the text is not from OCR. */
  public int ocrConfidence() {
    return ocrConfidence;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ElementText)) {
      return false;
    }
    ElementText t = (ElementText) o;
    return chunkIndex == t.chunkIndex && charStart == t.charStart && charEnd == t.charEnd
        && tokenCount == t.tokenCount && ocrConfidence == t.ocrConfidence && source == t.source
        && text.equals(t.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, charStart, charEnd);
  }

  void encode(OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(text, out);
    VarIntCoder.of().encode(chunkIndex, out);
    VarIntCoder.of().encode(charStart, out);
    VarIntCoder.of().encode(charEnd, out);
    VarIntCoder.of().encode(tokenCount, out);
    VarIntCoder.of().encode(source.ordinal(), out);
    VarIntCoder.of().encode(ocrConfidence + 1, out);
  }

  static ElementText decode(InputStream in) throws IOException {
    return new ElementText(StringUtf8Coder.of().decode(in), VarIntCoder.of().decode(in), VarIntCoder.of().decode(in),
        VarIntCoder.of().decode(in), VarIntCoder.of().decode(in), TextSource.values()[VarIntCoder.of().decode(in)],
        VarIntCoder.of().decode(in) - 1);
  }
}

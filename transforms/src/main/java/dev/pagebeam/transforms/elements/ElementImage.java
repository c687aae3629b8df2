package dev.pagebeam.transforms.elements;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * The image of a page thumbnail or an embedded image: its encoded bytes (dropped once they are no
 * longer needed), size, and what was read around and inside it.
 */
public final class ElementImage implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<byte[]> NULLABLE_BYTES = NullableCoder.of(ByteArrayCoder.of());

  private final byte[] bytes;
  private final String format;
  private final int width;
  private final int height;
  private final String name;
  private final boolean pageHasText;
  private final boolean pageReadByOcr;
  private final String caption;
  private final String context;
  private final String ocrText;
  private final int ocrConfidence;

  private ElementImage(byte[] bytes, String format, int width, int height, String name, boolean pageHasText,
      boolean pageReadByOcr, String caption, String context, String ocrText, int ocrConfidence) {
    this.bytes = bytes;
    this.format = Objects.requireNonNull(format, "format");
    this.width = width;
    this.height = height;
    this.name = name;
    this.pageHasText = pageHasText;
    this.pageReadByOcr = pageReadByOcr;
    this.caption = caption;
    this.context = context;
    this.ocrText = ocrText;
    this.ocrConfidence = ocrConfidence;
  }

  /** A page thumbnail; {@code pageReadByOcr} when the page goes to OCR (its text will stand for it). */
  static ElementImage thumbnail(EncodedImage image, boolean pageHasText, boolean pageReadByOcr) {
    return new ElementImage(image.bytes(), image.format(), image.width(), image.height(), null, pageHasText,
        pageReadByOcr, null, null, null, -1);
  }

  /** An embedded image with the caption and the lines around it on its page (null when none). */
  static ElementImage embedded(EncodedImage image, String name, String caption, String context) {
    return new ElementImage(image.bytes(), image.format(), image.width(), image.height(), name, false, false,
        caption, context, null, -1);
  }

  /** The same image with what OCR read in it ("" when it found nothing). */
  public ElementImage withOcr(String text, int confidence) {
    return new ElementImage(bytes, format, width, height, name, pageHasText, pageReadByOcr, caption, context,
        Objects.requireNonNull(text), confidence);
  }

  ElementImage withBytes(EncodedImage replacement) {
    return new ElementImage(replacement.bytes(), replacement.format(), replacement.width(), replacement.height(), name,
        pageHasText, pageReadByOcr, caption, context, ocrText, ocrConfidence);
  }

  ElementImage withoutBytes() {
    return bytes == null ? this : new ElementImage(null, format, width, height, name, pageHasText, pageReadByOcr,
        caption, context, ocrText, ocrConfidence);
  }

  /** The encoded image, or null once it was dropped (after encoding, or for a text-only model). */
  public byte[] bytes() {
    return bytes;
  }

  /** "png" or "jpeg". */
  public String format() {
    return format;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The XObject name of an embedded image ("Im3"), or "inline"; null for thumbnails. */
  public String name() {
    return name;
  }

  /** For thumbnails: whether the page has a text layer (false for scans). */
  public boolean pageHasText() {
    return pageHasText;
  }

  /** For thumbnails: whether the page is read by OCR, so its OCR text stands for it. */
  public boolean pageReadByOcr() {
    return pageReadByOcr;
  }

  /** A caption line near the image ("Figure 3: ..."), or null. */
  public String caption() {
    return caption;
  }

  /** The lines directly above and below the image, or null. */
  public String context() {
    return context;
  }

  /** What OCR read in the image ("" for nothing), or null when OCR did not run on it. */
  public String ocrText() {
    return ocrText;
  }

  /** Mean OCR word confidence 0-100, or -1. */
  public int ocrConfidence() {
    return ocrConfidence;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ElementImage)) {
      return false;
    }
    ElementImage i = (ElementImage) o;
    return width == i.width && height == i.height && pageHasText == i.pageHasText
        && pageReadByOcr == i.pageReadByOcr && ocrConfidence == i.ocrConfidence && Arrays.equals(bytes, i.bytes)
        && format.equals(i.format) && Objects.equals(name, i.name) && Objects.equals(caption, i.caption)
        && Objects.equals(context, i.context) && Objects.equals(ocrText, i.ocrText);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, width, height, name);
  }

  void encode(OutputStream out) throws IOException {
    NULLABLE_BYTES.encode(bytes, out);
    StringUtf8Coder.of().encode(format, out);
    VarIntCoder.of().encode(width, out);
    VarIntCoder.of().encode(height, out);
    NULLABLE_STRING.encode(name, out);
    BooleanCoder.of().encode(pageHasText, out);
    BooleanCoder.of().encode(pageReadByOcr, out);
    NULLABLE_STRING.encode(caption, out);
    NULLABLE_STRING.encode(context, out);
    NULLABLE_STRING.encode(ocrText, out);
    VarIntCoder.of().encode(ocrConfidence + 1, out);
  }

  static ElementImage decode(InputStream in) throws IOException {
    return new ElementImage(NULLABLE_BYTES.decode(in), StringUtf8Coder.of().decode(in), VarIntCoder.of().decode(in),
        VarIntCoder.of().decode(in), NULLABLE_STRING.decode(in), BooleanCoder.of().decode(in),
        BooleanCoder.of().decode(in), NULLABLE_STRING.decode(in), NULLABLE_STRING.decode(in),
        NULLABLE_STRING.decode(in), VarIntCoder.of().decode(in) - 1);
  }
}

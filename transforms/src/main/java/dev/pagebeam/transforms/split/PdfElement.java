package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * One piece of a PDF: a text chunk, a page thumbnail or an embedded image, with its stable id and
 * the metadata every sink stores (document, source, page, type, offsets, content hash).
 *
 * <p>Text fields are null for images and image fields are null for text.
 */
@DefaultCoder(PdfElement.ElementCoder.class)
public final class PdfElement implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String documentId;
  private final String source;
  private final int page;
  private final int pageCount;
  private final ElementType type;
  private final String contentHash;
  private final boolean pageHasText;
  // text chunks
  private final String text;
  private final int chunkIndex;
  private final int charStart;
  private final int charEnd;
  private final int tokenCount;
  // images
  private final byte[] imageBytes;
  private final String imageFormat;
  private final int width;
  private final int height;
  private final String imageName;

  private PdfElement(
      String id,
      String documentId,
      String source,
      int page,
      int pageCount,
      ElementType type,
      String contentHash,
      boolean pageHasText,
      String text,
      int chunkIndex,
      int charStart,
      int charEnd,
      int tokenCount,
      byte[] imageBytes,
      String imageFormat,
      int width,
      int height,
      String imageName) {
    this.id = Objects.requireNonNull(id, "id");
    this.documentId = Objects.requireNonNull(documentId, "documentId");
    this.source = Objects.requireNonNull(source, "source");
    this.page = page;
    this.pageCount = pageCount;
    this.type = Objects.requireNonNull(type, "type");
    this.contentHash = Objects.requireNonNull(contentHash, "contentHash");
    this.pageHasText = pageHasText;
    this.text = text;
    this.chunkIndex = chunkIndex;
    this.charStart = charStart;
    this.charEnd = charEnd;
    this.tokenCount = tokenCount;
    this.imageBytes = imageBytes;
    this.imageFormat = imageFormat;
    this.width = width;
    this.height = height;
    this.imageName = imageName;
  }

  /** A text chunk: {@code text} is {@code pageText.substring(charStart, charEnd)}. */
  public static PdfElement textChunk(
      PageText page, int chunkIndex, int charStart, int charEnd, int tokenCount, String chunkerFingerprint) {
    String text = page.getText().substring(charStart, charEnd);
    return new PdfElement(
        ElementIds.textChunk(page.getDocumentId(), page.getPage(), charStart, charEnd, chunkerFingerprint),
        page.getDocumentId(),
        page.getSource(),
        page.getPage(),
        page.getPageCount(),
        ElementType.TEXT_CHUNK,
        ElementIds.sha256Hex(text),
        true,
        text,
        chunkIndex,
        charStart,
        charEnd,
        tokenCount,
        null,
        null,
        0,
        0,
        null);
  }

  /** A rendered page. {@code pageHasText} is false for pages without a text layer (scans). */
  public static PdfElement pageImage(
      String documentId,
      String source,
      int page,
      int pageCount,
      EncodedImage image,
      int longSide,
      boolean pageHasText) {
    return new PdfElement(
        ElementIds.pageImage(documentId, page, longSide),
        documentId,
        source,
        page,
        pageCount,
        ElementType.PAGE_IMAGE,
        ElementIds.sha256Hex(image.bytes()),
        pageHasText,
        null,
        0,
        0,
        0,
        0,
        image.bytes(),
        image.format(),
        image.width(),
        image.height(),
        null);
  }

  /**
   * A raster image drawn on a page, identified by the hash of its PDF stream (the first page that
   * draws it owns it).
   */
  public static PdfElement embeddedImage(
      String documentId,
      String source,
      int page,
      int pageCount,
      String imageStreamHash,
      String imageName,
      EncodedImage image,
      int maxSide) {
    return new PdfElement(
        ElementIds.embeddedImage(documentId, imageStreamHash, maxSide),
        documentId,
        source,
        page,
        pageCount,
        ElementType.EMBEDDED_IMAGE,
        imageStreamHash,
        false,
        null,
        0,
        0,
        0,
        0,
        image.bytes(),
        image.format(),
        image.width(),
        image.height(),
        imageName);
  }

  /**
   * The same element without its image bytes: what travels after encoding, where only the
   * metadata and the vector are needed.
   */
  public PdfElement withoutImageBytes() {
    if (imageBytes == null) {
      return this;
    }
    return new PdfElement(id, documentId, source, page, pageCount, type, contentHash, pageHasText, text, chunkIndex,
        charStart, charEnd, tokenCount, null, imageFormat, width, height, imageName);
  }

  public String getId() {
    return id;
  }

  /** SHA-256 of the file's bytes. */
  public String getDocumentId() {
    return documentId;
  }

  public String getSource() {
    return source;
  }

  /** 1-based page number. */
  public int getPage() {
    return page;
  }

  public int getPageCount() {
    return pageCount;
  }

  public ElementType getType() {
    return type;
  }

  /** SHA-256 of the chunk text or of the encoded image; for embedded images, of the PDF stream. */
  public String getContentHash() {
    return contentHash;
  }

  /** For page thumbnails: whether the page has a text layer (false for scans). False for others. */
  public boolean pageHasText() {
    return pageHasText;
  }

  public String getText() {
    return text;
  }

  /** 0-based position of the chunk on its page. */
  public int getChunkIndex() {
    return chunkIndex;
  }

  public int getCharStart() {
    return charStart;
  }

  public int getCharEnd() {
    return charEnd;
  }

  /** Tokens the model sees for this chunk, special tokens included. */
  public int getTokenCount() {
    return tokenCount;
  }

  public byte[] getImageBytes() {
    return imageBytes;
  }

  /** "png" or "jpeg". */
  public String getImageFormat() {
    return imageFormat;
  }

  public int getWidth() {
    return width;
  }

  public int getHeight() {
    return height;
  }

  /** The XObject name of an embedded image ("Im3"), or "inline". */
  public String getImageName() {
    return imageName;
  }

  /** A human-readable reference to the element in its source: {@code file.pdf#page=3}. */
  public String sourceRef() {
    String ref = source + "#page=" + page;
    if (type == ElementType.EMBEDDED_IMAGE) {
      ref += "&image=" + contentHash.substring(0, 12);
    } else if (type == ElementType.TEXT_CHUNK) {
      ref += "&chars=" + charStart + "-" + charEnd;
    }
    return ref;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PdfElement)) {
      return false;
    }
    PdfElement e = (PdfElement) o;
    return page == e.page
        && pageCount == e.pageCount
        && pageHasText == e.pageHasText
        && chunkIndex == e.chunkIndex
        && charStart == e.charStart
        && charEnd == e.charEnd
        && tokenCount == e.tokenCount
        && width == e.width
        && height == e.height
        && id.equals(e.id)
        && documentId.equals(e.documentId)
        && source.equals(e.source)
        && type == e.type
        && contentHash.equals(e.contentHash)
        && Objects.equals(text, e.text)
        && Arrays.equals(imageBytes, e.imageBytes)
        && Objects.equals(imageFormat, e.imageFormat)
        && Objects.equals(imageName, e.imageName);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return type.label() + "[" + id + " " + sourceRef() + "]";
  }

  /** Compact, deterministic binary coder (faster than Java serialization on every shuffle). */
  public static final class ElementCoder extends AtomicCoder<PdfElement> {
    private static final ElementCoder INSTANCE = new ElementCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<byte[]> NULLABLE_BYTES = NullableCoder.of(ByteArrayCoder.of());
    private static final Coder<Integer> INT = VarIntCoder.of();
    private static final Coder<Boolean> BOOL = BooleanCoder.of();

    public static ElementCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PdfElement e, OutputStream out) throws IOException {
      STRING.encode(e.id, out);
      STRING.encode(e.documentId, out);
      STRING.encode(e.source, out);
      INT.encode(e.page, out);
      INT.encode(e.pageCount, out);
      INT.encode(e.type.ordinal(), out);
      STRING.encode(e.contentHash, out);
      BOOL.encode(e.pageHasText, out);
      NULLABLE_STRING.encode(e.text, out);
      INT.encode(e.chunkIndex, out);
      INT.encode(e.charStart, out);
      INT.encode(e.charEnd, out);
      INT.encode(e.tokenCount, out);
      NULLABLE_BYTES.encode(e.imageBytes, out);
      NULLABLE_STRING.encode(e.imageFormat, out);
      INT.encode(e.width, out);
      INT.encode(e.height, out);
      NULLABLE_STRING.encode(e.imageName, out);
    }

    @Override
    public PdfElement decode(InputStream in) throws IOException {
      return new PdfElement(
          STRING.decode(in),
          STRING.decode(in),
          STRING.decode(in),
          INT.decode(in),
          INT.decode(in),
          ElementType.values()[INT.decode(in)],
          STRING.decode(in),
          BOOL.decode(in),
          NULLABLE_STRING.decode(in),
          INT.decode(in),
          INT.decode(in),
          INT.decode(in),
          INT.decode(in),
          NULLABLE_BYTES.decode(in),
          NULLABLE_STRING.decode(in),
          INT.decode(in),
          INT.decode(in),
          NULLABLE_STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}

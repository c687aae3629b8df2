package dev.pagebeam.transforms.elements;

import dev.pagebeam.transforms.core.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * One piece of a PDF: a text chunk, a page thumbnail or an embedded image, with its stable id and
 * the metadata every sink stores (document, source, page, type, content hash).
 *
 * <p>Its payloads: {@link #text()} is what the element is embedded with as text (a chunk, or the
 * text read in an image); {@link #image()} is the image of a thumbnail or an embedded image. A
 * chunk has only text; an image has an image, and text once OCR or its caption gave it some.
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
  private final String thumbnailId;
  private final String imageId;
  private final ElementText text;
  private final ElementImage image;

  private PdfElement(String id, String documentId, String source, int page, int pageCount, ElementType type,
      String contentHash, String thumbnailId, String imageId, ElementText text, ElementImage image) {
    this.id = Objects.requireNonNull(id, "id");
    this.documentId = Objects.requireNonNull(documentId, "documentId");
    this.source = Objects.requireNonNull(source, "source");
    this.page = page;
    this.pageCount = pageCount;
    this.type = Objects.requireNonNull(type, "type");
    this.contentHash = Objects.requireNonNull(contentHash, "contentHash");
    this.thumbnailId = thumbnailId;
    this.imageId = imageId;
    this.text = text;
    this.image = image;
  }

  /** A text chunk: its text is {@code pageText.substring(charStart, charEnd)}. */
  public static PdfElement textChunk(
      PageText page, int chunkIndex, int charStart, int charEnd, int tokenCount, String chunkerFingerprint) {
    String chunk = page.getText().substring(charStart, charEnd);
    return new PdfElement(
        ElementIds.textChunk(page.getDocumentId(), page.getPage(), charStart, charEnd, chunkerFingerprint,
            page.getTextSource()),
        page.getDocumentId(), page.getSource(), page.getPage(), page.getPageCount(), ElementType.TEXT_CHUNK,
        Hashes.sha256Hex(chunk), page.getThumbnailId(), null,
        new ElementText(chunk, chunkIndex, charStart, charEnd, tokenCount, page.getTextSource(),
            page.getOcrConfidence()),
        null);
  }

  /**
   * A rendered page. {@code pageHasText} is false for pages without a text layer (scans);
   * {@code pageReadByOcr} when the page goes to OCR.
   */
  public static PdfElement pageImage(String documentId, String source, int page, int pageCount, EncodedImage image,
      int longSide, boolean pageHasText, boolean pageReadByOcr) {
    return new PdfElement(ElementIds.pageImage(documentId, page, longSide), documentId, source, page, pageCount,
        ElementType.PAGE_IMAGE, Hashes.sha256Hex(image.bytes()), null, null, null,
        ElementImage.thumbnail(image, pageHasText, pageReadByOcr));
  }

  /**
   * A raster image drawn on a page, identified by the hash of its PDF stream (the first page that
   * draws it owns it), with the caption and lines around it (null when none).
   */
  public static PdfElement embeddedImage(String documentId, String source, int page, int pageCount,
      String imageStreamHash, String imageName, EncodedImage image, int maxSide, String caption, String context,
      String thumbnailId) {
    return new PdfElement(ElementIds.embeddedImage(documentId, imageStreamHash, maxSide), documentId, source, page,
        pageCount, ElementType.EMBEDDED_IMAGE, imageStreamHash, thumbnailId, null, null,
        ElementImage.embedded(image, imageName, caption, context));
  }

  /** This image with the text it is embedded with and what OCR read in it. */
  public PdfElement withImageText(ElementText imageText, ElementImage withOcr) {
    if (image == null) {
      throw new IllegalStateException(this + " is not an image");
    }
    return new PdfElement(id, documentId, source, page, pageCount, type, contentHash, thumbnailId, imageId, imageText,
        withOcr);
  }

  /**
   * The text of this image as a text chunk of its own (for models that encode the image's pixels
   * too): its own id, the same page and text, and the image (without bytes) it came from.
   */
  public PdfElement imageTextChunk() {
    if (image == null || text == null) {
      throw new IllegalStateException(this + " is not an image with text");
    }
    return new PdfElement(ElementIds.imageText(id), documentId, source, page, pageCount, ElementType.TEXT_CHUNK,
        Hashes.sha256Hex(text.text()), thumbnailId, id, text, image.withoutBytes());
  }

  /** The same element with its image replaced (the same picture at another size). */
  public PdfElement withImage(EncodedImage replacement) {
    if (image == null) {
      throw new IllegalStateException(this + " is not an image");
    }
    return new PdfElement(id, documentId, source, page, pageCount, type, contentHash, thumbnailId, imageId, text,
        image.withBytes(replacement));
  }

  /** The same element without its image bytes: what travels once only metadata and text are needed. */
  public PdfElement withoutImageBytes() {
    if (image == null || image.bytes() == null) {
      return this;
    }
    return new PdfElement(id, documentId, source, page, pageCount, type, contentHash, thumbnailId, imageId, text,
        image.withoutBytes());
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

  /** The id of the page's thumbnail (chunks and embedded images point at it), or null. */
  public String getThumbnailId() {
    return thumbnailId;
  }

  /** The id of the image an image-text chunk was read from (its file is named by it), or null. */
  public String getImageId() {
    return imageId;
  }

  /** The id that names this element's image file: its own for images, its image's for image text. */
  public String imageFileId() {
    return type.isImage() ? id : imageId;
  }

  /** The text this element is embedded with, or null (thumbnails, images without text). */
  public ElementText text() {
    return text;
  }

  /** The image of a thumbnail or an embedded image, or null for page text chunks. */
  public ElementImage image() {
    return image;
  }

  public boolean hasText() {
    return text != null;
  }

  /** The text embedded for this element; null when it has none. */
  public String getText() {
    return text == null ? null : text.text();
  }

  /** Tokens the model sees for this element's text, special tokens included; 0 without text. */
  public int getTokenCount() {
    return text == null ? 0 : text.tokenCount();
  }

  /** The encoded image, or null (text chunks, or once the bytes were dropped). */
  public byte[] getImageBytes() {
    return image == null ? null : image.bytes();
  }

  /** "png" or "jpeg"; null for text chunks. */
  public String getImageFormat() {
    return image == null ? null : image.format();
  }

  public int getWidth() {
    return image == null ? 0 : image.width();
  }

  public int getHeight() {
    return image == null ? 0 : image.height();
  }

  /** The XObject name of an embedded image ("Im3"), or "inline". */
  public String getImageName() {
    return image == null ? null : image.name();
  }

  /** For page thumbnails: whether the page has a text layer (false for scans). False for others. */
  public boolean pageHasText() {
    return image != null && image.pageHasText();
  }

  /** A human-readable reference to the element in its source: {@code file.pdf#page=3}. */
  public String sourceRef() {
    String ref = source + "#page=" + page;
    if (type == ElementType.EMBEDDED_IMAGE) {
      ref += "&image=" + contentHash.substring(0, 12);
    } else if (type == ElementType.TEXT_CHUNK && image != null) {
      ref += "&image-text";
    } else if (type == ElementType.TEXT_CHUNK) {
      ref += "&chars=" + text.charStart() + "-" + text.charEnd() + (text.source() == TextSource.OCR ? "&ocr" : "");
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
    return page == e.page && pageCount == e.pageCount && id.equals(e.id) && documentId.equals(e.documentId)
        && source.equals(e.source) && type == e.type && contentHash.equals(e.contentHash)
        && Objects.equals(thumbnailId, e.thumbnailId) && Objects.equals(imageId, e.imageId)
        && Objects.equals(text, e.text)
        && Objects.equals(image, e.image);
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
      NULLABLE_STRING.encode(e.thumbnailId, out);
      NULLABLE_STRING.encode(e.imageId, out);
      BOOL.encode(e.text != null, out);
      if (e.text != null) {
        e.text.encode(out);
      }
      BOOL.encode(e.image != null, out);
      if (e.image != null) {
        e.image.encode(out);
      }
    }

    @Override
    public PdfElement decode(InputStream in) throws IOException {
      String id = STRING.decode(in);
      String documentId = STRING.decode(in);
      String source = STRING.decode(in);
      int page = INT.decode(in);
      int pageCount = INT.decode(in);
      ElementType type = ElementType.values()[INT.decode(in)];
      String contentHash = STRING.decode(in);
      String thumbnailId = NULLABLE_STRING.decode(in);
      String imageId = NULLABLE_STRING.decode(in);
      ElementText text = BOOL.decode(in) ? ElementText.decode(in) : null;
      ElementImage image = BOOL.decode(in) ? ElementImage.decode(in) : null;
      return new PdfElement(id, documentId, source, page, pageCount, type, contentHash, thumbnailId, imageId, text,
          image);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}

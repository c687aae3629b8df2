package dev.pagebeam.transforms.elements;

import dev.pagebeam.transforms.core.Schemas;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaBeanSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The text of one page before chunking: from its text layer or from OCR. */
@DefaultSchema(JavaBeanSchema.class)
public final class PageText implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String documentId;
  private final String source;
  private final int page;
  private final int pageCount;
  private final String text;
  private final TextSource textSource;
  private final int ocrConfidence;
  private final String thumbnailId;

  /** Text from the page's text layer, without a thumbnail. */
  /** The coder: Beam's schema coder over the getters. */
  public static final Coder<PageText> CODER = Schemas.coder(PageText.class);

  public PageText(String documentId, String source, int page, int pageCount, String text) {
    this(documentId, source, page, pageCount, text, TextSource.TEXT_LAYER, -1, null);
  }

  /**
   * @param ocrConfidence mean OCR word confidence 0-100, or -1 for text-layer text
   * @param thumbnailId the id of the page's thumbnail, or null when none was rendered
   */
  @SchemaCreate
  public PageText(String documentId, String source, int page, int pageCount, String text, TextSource textSource,
      int ocrConfidence, @Nullable String thumbnailId) {
    this.documentId = Objects.requireNonNull(documentId);
    this.source = Objects.requireNonNull(source);
    this.page = page;
    this.pageCount = pageCount;
    this.text = Objects.requireNonNull(text);
    this.textSource = Objects.requireNonNull(textSource);
    this.ocrConfidence = ocrConfidence;
    this.thumbnailId = thumbnailId;
  }

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

  public String getText() {
    return text;
  }

  public TextSource getTextSource() {
    return textSource;
  }

  /** Mean OCR word confidence 0-100, or -1 for text-layer text. */
  public int getOcrConfidence() {
    return ocrConfidence;
  }

  /** The page thumbnail's id, or null. */
  public @Nullable String getThumbnailId() {
    return thumbnailId;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PageText)) {
      return false;
    }
    PageText p = (PageText) o;
    return page == p.page
        && pageCount == p.pageCount
        && ocrConfidence == p.ocrConfidence
        && documentId.equals(p.documentId)
        && source.equals(p.source)
        && text.equals(p.text)
        && textSource == p.textSource
        && Objects.equals(thumbnailId, p.thumbnailId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(documentId, page, textSource);
  }

  @Override
  public String toString() {
    return "PageText[" + source + "#page=" + page + ", " + text.length() + " chars, " + textSource.label() + "]";
  }
}

package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.core.Schemas;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/**
 * A share of the work on a document: a range of its pages (text and thumbnails), the scan of the
 * whole document for embedded images (kept whole so images are deduplicated across all its pages),
 * or a range of pages to read by OCR. Only the path and the range travel; the worker reads the
 * file itself.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class DocumentTask implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the task does. */
  public enum Kind {
    PAGES,
    IMAGES,
    OCR
  }

  public final String source;
  public final long sizeBytes;
  public final String documentId;
  public final int pageCount;
  public final Kind kind;
  public final int firstPage;
  public final int lastPage;

  /** The coder: Beam's schema coder over the public fields. */
  public static final Coder<DocumentTask> CODER = Schemas.coder(DocumentTask.class);

  @SchemaCreate
  public DocumentTask(
      String source, long sizeBytes, String documentId, int pageCount, Kind kind, int firstPage, int lastPage) {
    this.source = Objects.requireNonNull(source);
    this.sizeBytes = sizeBytes;
    this.documentId = Objects.requireNonNull(documentId);
    this.pageCount = pageCount;
    this.kind = Objects.requireNonNull(kind);
    this.firstPage = firstPage;
    this.lastPage = lastPage;
  }

  public String source() {
    return source;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  /** SHA-256 of the file when it was planned; a worker that reads different bytes refuses the task. */
  public String documentId() {
    return documentId;
  }

  public int pageCount() {
    return pageCount;
  }

  public Kind kind() {
    return kind;
  }

  /** 1-based, inclusive. */
  public int firstPage() {
    return firstPage;
  }

  /** 1-based, inclusive. */
  public int lastPage() {
    return lastPage;
  }

  public int pages() {
    return lastPage - firstPage + 1;
  }

  /** "pages 65-128", "images of pages 1-2415" or "OCR of pages 3-10". */
  public String describe() {
    String what = kind == Kind.IMAGES ? "images of pages " : kind == Kind.OCR ? "OCR of pages " : "pages ";
    return what + firstPage + "-" + lastPage;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DocumentTask)) {
      return false;
    }
    DocumentTask t = (DocumentTask) o;
    return sizeBytes == t.sizeBytes && pageCount == t.pageCount && firstPage == t.firstPage
        && lastPage == t.lastPage && kind == t.kind && source.equals(t.source) && documentId.equals(t.documentId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(documentId, kind, firstPage);
  }

  @Override
  public String toString() {
    return source + " " + describe();
  }
}

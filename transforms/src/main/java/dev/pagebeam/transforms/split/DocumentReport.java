package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.core.Schemas;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one call of the splitter did with a file (the whole file, a page range or an OCR task):
 * the pages it processed and, for the file's first call, whether the file could be opened at all.
 * Every matched file gets exactly one report marked {@link #isFileReport()}: the per-file ledger
 * is made from these reports and the elements.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class DocumentReport implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String source;
  public final @Nullable String documentId;
  public final boolean fileReport;
  public final int pages;
  public final int pagesWithoutText;
  public final int ocrPages;
  public final int ocrSkippedPages;
  public final long millis;
  public final @Nullable String failure;

  /** The coder: Beam's schema coder over the public fields. */
  public static final Coder<DocumentReport> CODER = Schemas.coder(DocumentReport.class);

  @SchemaCreate
  public DocumentReport(String source, @Nullable String documentId, boolean fileReport, int pages,
      int pagesWithoutText, int ocrPages, int ocrSkippedPages, long millis, @Nullable String failure) {
    this.source = Objects.requireNonNull(source);
    this.documentId = documentId;
    this.fileReport = fileReport;
    this.pages = pages;
    this.pagesWithoutText = pagesWithoutText;
    this.ocrPages = ocrPages;
    this.ocrSkippedPages = ocrSkippedPages;
    this.millis = millis;
    this.failure = failure;
  }

  static DocumentReport of(String source, String documentId, boolean fileReport, DocumentOutcome o) {
    return new DocumentReport(source, documentId, fileReport, o.pages, o.pagesWithoutText, o.ocrPages, o.ocrSkippedPages, o.millis,
        o.failed ? o.failure : null);
  }

  public String source() {
    return source;
  }

  /** SHA-256 of the file, or null when it could not be read. */
  public String documentId() {
    return documentId;
  }

  /** True for the one report per matched file (from the step that opened it first). */
  public boolean isFileReport() {
    return fileReport;
  }

  public int pages() {
    return pages;
  }

  public int pagesWithoutText() {
    return pagesWithoutText;
  }

  public int ocrPages() {
    return ocrPages;
  }

  /** Pages OCR skipped because they rendered nearly blank. */
  public int ocrSkippedPages() {
    return ocrSkippedPages;
  }

  /** Wall time of the split call this report is of, in milliseconds. */
  public long millis() {
    return millis;
  }

  /** Why the file as a whole could not be split ("ENCRYPTED: ..."), or null. */
  public String failure() {
    return failure;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DocumentReport)) {
      return false;
    }
    DocumentReport r = (DocumentReport) o;
    return fileReport == r.fileReport && pages == r.pages && pagesWithoutText == r.pagesWithoutText
        && ocrPages == r.ocrPages && ocrSkippedPages == r.ocrSkippedPages && millis == r.millis && source.equals(r.source) && Objects.equals(documentId, r.documentId)
        && Objects.equals(failure, r.failure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, pages, fileReport);
  }

  @Override
  public String toString() {
    return "DocumentReport[" + source + ", " + pages + " pages" + (failure == null ? "" : ", failed: " + failure) + "]";
  }
}

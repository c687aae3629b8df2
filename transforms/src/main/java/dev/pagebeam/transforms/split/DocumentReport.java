package dev.pagebeam.transforms.split;

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
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * What one call of the splitter did with a file (the whole file, a page range or an OCR task):
 * the pages it processed and, for the file's first call, whether the file could be opened at all.
 * Every matched file gets exactly one report marked {@link #isFileReport()}: the per-file ledger
 * is made from these reports and the elements.
 */
@DefaultCoder(DocumentReport.ReportCoder.class)
public final class DocumentReport implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String documentId;
  private final boolean fileReport;
  private final int pages;
  private final int pagesWithoutText;
  private final int ocrPages;
  private final long millis;
  private final String failure;

  public DocumentReport(String source, String documentId, boolean fileReport, int pages, int pagesWithoutText,
      int ocrPages, long millis, String failure) {
    this.source = Objects.requireNonNull(source);
    this.documentId = documentId;
    this.fileReport = fileReport;
    this.pages = pages;
    this.pagesWithoutText = pagesWithoutText;
    this.ocrPages = ocrPages;
    this.millis = millis;
    this.failure = failure;
  }

  static DocumentReport of(String source, String documentId, boolean fileReport, DocumentOutcome o) {
    return new DocumentReport(source, documentId, fileReport, o.pages, o.pagesWithoutText, o.ocrPages, o.millis,
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
        && ocrPages == r.ocrPages && millis == r.millis && source.equals(r.source) && Objects.equals(documentId, r.documentId)
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

  /** Deterministic coder for {@link DocumentReport}. */
  public static final class ReportCoder extends AtomicCoder<DocumentReport> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Integer> INT = VarIntCoder.of();

    public static ReportCoder of() {
      return new ReportCoder();
    }

    @Override
    public void encode(DocumentReport r, OutputStream out) throws IOException {
      STRING.encode(r.source, out);
      NULLABLE.encode(r.documentId, out);
      BooleanCoder.of().encode(r.fileReport, out);
      INT.encode(r.pages, out);
      INT.encode(r.pagesWithoutText, out);
      INT.encode(r.ocrPages, out);
      VarLongCoder.of().encode(r.millis, out);
      NULLABLE.encode(r.failure, out);
    }

    @Override
    public DocumentReport decode(InputStream in) throws IOException {
      return new DocumentReport(STRING.decode(in), NULLABLE.decode(in), BooleanCoder.of().decode(in), INT.decode(in),
          INT.decode(in), INT.decode(in), VarLongCoder.of().decode(in), NULLABLE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}

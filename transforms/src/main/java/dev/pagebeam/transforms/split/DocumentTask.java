package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A share of the work on a document: a range of its pages (text and thumbnails), the scan of the
 * whole document for embedded images (kept whole so images are deduplicated across all its pages),
 * or a range of pages to read by OCR. Only the path and the range travel; the worker reads the
 * file itself.
 */
@DefaultCoder(DocumentTask.TaskCoder.class)
public final class DocumentTask implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the task does. */
  public enum Kind {
    PAGES,
    IMAGES,
    OCR
  }

  private final String source;
  private final long sizeBytes;
  private final String documentId;
  private final int pageCount;
  private final Kind kind;
  private final int firstPage;
  private final int lastPage;

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

  /** Deterministic coder for {@link DocumentTask}. */
  public static final class TaskCoder extends AtomicCoder<DocumentTask> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Integer> INT = VarIntCoder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();

    public static TaskCoder of() {
      return new TaskCoder();
    }

    @Override
    public void encode(DocumentTask t, OutputStream out) throws IOException {
      STRING.encode(t.source, out);
      LONG.encode(t.sizeBytes, out);
      STRING.encode(t.documentId, out);
      INT.encode(t.pageCount, out);
      INT.encode(t.kind.ordinal(), out);
      INT.encode(t.firstPage, out);
      INT.encode(t.lastPage, out);
    }

    @Override
    public DocumentTask decode(InputStream in) throws IOException {
      return new DocumentTask(STRING.decode(in), LONG.decode(in), STRING.decode(in), INT.decode(in),
          Kind.values()[INT.decode(in)], INT.decode(in), INT.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}

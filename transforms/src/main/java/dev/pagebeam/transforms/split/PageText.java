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

/** The extracted text of one page, before chunking. */
@DefaultCoder(PageText.PageTextCoder.class)
public final class PageText implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String documentId;
  private final String source;
  private final int page;
  private final int pageCount;
  private final String text;

  public PageText(String documentId, String source, int page, int pageCount, String text) {
    this.documentId = Objects.requireNonNull(documentId);
    this.source = Objects.requireNonNull(source);
    this.page = page;
    this.pageCount = pageCount;
    this.text = Objects.requireNonNull(text);
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

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PageText)) {
      return false;
    }
    PageText p = (PageText) o;
    return page == p.page
        && pageCount == p.pageCount
        && documentId.equals(p.documentId)
        && source.equals(p.source)
        && text.equals(p.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(documentId, page);
  }

  @Override
  public String toString() {
    return "PageText[" + source + "#page=" + page + ", " + text.length() + " chars]";
  }

  /** Deterministic coder for {@link PageText}. */
  public static final class PageTextCoder extends AtomicCoder<PageText> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Integer> INT = VarIntCoder.of();

    public static PageTextCoder of() {
      return new PageTextCoder();
    }

    @Override
    public void encode(PageText p, OutputStream out) throws IOException {
      STRING.encode(p.documentId, out);
      STRING.encode(p.source, out);
      INT.encode(p.page, out);
      INT.encode(p.pageCount, out);
      STRING.encode(p.text, out);
    }

    @Override
    public PageText decode(InputStream in) throws IOException {
      return new PageText(STRING.decode(in), STRING.decode(in), INT.decode(in), INT.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}

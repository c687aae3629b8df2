package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageTree;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Extracts the text of a range of pages in one pass (asking PDFTextStripper for one page at a time
 * walks the whole page tree for each page). Paragraphs are separated by a blank line so the
 * chunker can split at them.
 */
final class PageTextCollector extends PDFTextStripper {
  private final Deadline deadline;
  private final StringWriter out = new StringWriter(8192);
  private String[] texts;
  private int firstPage;
  private int from;
  private int current;

  PageTextCollector(Deadline deadline) {
    this.deadline = deadline;
    setSortByPosition(false);
    setLineSeparator("\n");
    setWordSeparator(" ");
    setParagraphStart("");
    setParagraphEnd("\n");
    setPageStart("");
    setPageEnd("");
  }

  /**
   * Fills {@code texts[i]} with the text of page {@code firstPage + i}, for {@code i >= from};
   * pages without content streams stay null. When extraction fails part-way, the pages before the
   * failure keep their text, {@link #current} is the index of the page that failed, and the
   * exception is rethrown. One collector per call: a failure leaves it in an unknown state.
   */
  void collect(PDDocument document, int firstPage, String[] texts, int from) throws IOException {
    this.texts = texts;
    this.firstPage = firstPage;
    this.from = from;
    this.current = from;
    // processPages below picks the pages; the stripper's own page counter stays at 0.
    setStartPage(0);
    writeText(document, out);
  }

  /**
   * Visits only the wanted pages. The stripper's own loop touches every page of the document
   * (1.5 s for a fresh 2,400-page manual), which a page-range task cannot afford.
   */
  @Override
  protected void processPages(PDPageTree pages) throws IOException {
    for (current = from; current < texts.length; current++) {
      PDPage page = pages.get(firstPage - 1 + current);
      if (page.hasContents()) {
        processPage(page);
      }
    }
  }

  /** The index into {@code texts} of the page being read (or that failed). */
  int current() {
    return current;
  }

  @Override
  protected void endPage(PDPage page) throws IOException {
    super.endPage(page);
    texts[current] = out.toString();
    out.getBuffer().setLength(0);
  }

  @Override
  protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
    deadline.check();
    super.processOperator(operator, operands);
  }
}

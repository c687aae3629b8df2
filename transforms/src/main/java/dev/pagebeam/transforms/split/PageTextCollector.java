package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Extracts the text of every page in one pass over the document (asking PDFTextStripper for one
 * page at a time walks the whole page tree for each page). Paragraphs are separated by a blank
 * line so the chunker can split at them.
 */
final class PageTextCollector extends PDFTextStripper {
  private final Deadline deadline;
  private final StringWriter out = new StringWriter(8192);
  private String[] texts;

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
   * Fills {@code texts[i]} with the text of page i+1; pages without content streams stay null.
   * When extraction fails part-way, the pages before the failure keep their text and the
   * exception is rethrown.
   */
  void collect(PDDocument document, String[] texts) throws IOException {
    this.texts = texts;
    writeText(document, out);
  }

  @Override
  protected void endPage(PDPage page) throws IOException {
    super.endPage(page);
    int index = getCurrentPageNo() - 1;
    if (index >= 0 && index < texts.length) {
      texts[index] = out.toString();
    }
    out.getBuffer().setLength(0);
  }

  @Override
  protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
    deadline.check();
    super.processOperator(operator, operands);
  }
}

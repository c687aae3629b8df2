package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageTree;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * The lines of one page's text with their positions, in reading order by position: what the
 * caption and context of an image are found in. Visits only that page (the stripper's own loop
 * would touch every page of the document).
 */
final class PageLines extends PDFTextStripper {
  private final Deadline deadline;
  private final List<PageLine> lines = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private PDPage target;
  private boolean started;
  private float left;
  private float top;
  private float right;
  private float bottom;

  private PageLines(Deadline deadline) {
    this.deadline = deadline;
    setSortByPosition(true);
    setWordSeparator(" ");
  }

  /** The lines of {@code page} of {@code document}. */
  static List<PageLine> of(PDDocument document, PDPage page, Deadline deadline) throws IOException {
    PageLines stripper = new PageLines(deadline);
    stripper.target = page;
    stripper.writeText(document, new StringWriter());
    stripper.endLine();
    return stripper.lines;
  }

  @Override
  protected void processPages(PDPageTree pages) throws IOException {
    if (target.hasContents()) {
      processPage(target);
    }
  }

  @Override
  protected void writeString(String string, List<TextPosition> positions) {
    for (TextPosition p : positions) {
      float x0 = p.getXDirAdj();
      float baseline = p.getYDirAdj();
      float height = Math.max(p.getHeightDir(), 1f);
      if (!started) {
        started = true;
        left = x0;
        top = baseline - height;
        right = x0 + p.getWidthDirAdj();
        bottom = baseline;
      } else {
        left = Math.min(left, x0);
        top = Math.min(top, baseline - height);
        right = Math.max(right, x0 + p.getWidthDirAdj());
        bottom = Math.max(bottom, baseline);
      }
    }
    if (text.length() > 0 && !string.isEmpty()) {
      text.append(' ');
    }
    text.append(string);
  }

  @Override
  protected void writeWordSeparator() {
    // writeString adds the space
  }

  @Override
  protected void writeLineSeparator() {
    endLine();
  }

  private void endLine() {
    String line = text.toString().replaceAll("\\s+", " ").trim();
    if (!line.isEmpty()) {
      lines.add(new PageLine(line, left, top, right, bottom));
    }
    text.setLength(0);
    started = false;
  }

  @Override
  protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
    deadline.check();
    super.processOperator(operator, operands);
  }
}

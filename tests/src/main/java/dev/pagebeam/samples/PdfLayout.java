package dev.pagebeam.samples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** A minimal flowing-text layout on top of PDFBox, for the generated sample corpus. */
final class PdfLayout implements AutoCloseable {
  static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  static final float MARGIN = 64;

  final PDDocument document;
  final PDPage page;
  final PDPageContentStream content;
  float y;

  PdfLayout(PDDocument document) throws IOException {
    this.document = document;
    this.page = new PDPage(PDRectangle.A4);
    document.addPage(page);
    this.content = new PDPageContentStream(document, page);
    this.y = page.getMediaBox().getHeight() - MARGIN;
  }

  float width() {
    return page.getMediaBox().getWidth() - 2 * MARGIN;
  }

  void heading(String text) throws IOException {
    line(text, BOLD, 16, MARGIN);
    y -= 10;
  }

  void paragraph(String text) throws IOException {
    for (String line : wrap(text, REGULAR, 11, width())) {
      line(line, REGULAR, 11, MARGIN);
    }
    y -= 9;
  }

  void line(String text, PDType1Font font, float size, float x) throws IOException {
    y -= size * 1.35f;
    content.beginText();
    content.setFont(font, size);
    content.newLineAtOffset(x, y);
    content.showText(text);
    content.endText();
  }

  static List<String> wrap(String text, PDType1Font font, float size, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (font.getStringWidth(candidate) / 1000 * size > width && line.length() > 0) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  @Override
  public void close() throws IOException {
    content.close();
  }
}

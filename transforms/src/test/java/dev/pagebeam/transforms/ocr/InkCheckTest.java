package dev.pagebeam.transforms.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The look before OCR: pages that hold letters are read, rules, shapes, noise and nothing are not. */
class InkCheckTest {
  @ParameterizedTest
  @ValueSource(ints = {150, 200, 300})
  void aPageOfProseMayHoldTextAtEveryResolution(int dpi) throws IOException {
    assertThat(InkCheck.mayHoldText(OcrFixtures.prosePage(dpi), dpi)).isTrue();
    assertThat(InkCheck.mayHoldText(OcrFixtures.scannedProsePage(dpi, 11), dpi)).as("noisy, rotated scan").isTrue();
  }

  @Test
  void whiteTextOnADarkPageCountsToo() throws IOException {
    BufferedImage page = OcrFixtures.prosePage(300);
    byte[] pixels = ((DataBufferByte) page.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (255 - (pixels[i] & 0xff));
    }
    assertThat(InkCheck.mayHoldText(page, 300)).isTrue();
  }

  @Test
  void oneShortHeadingIsEnough() throws IOException {
    assertThat(InkCheck.mayHoldText(render(c -> {
      c.beginText();
      c.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 18);
      c.newLineAtOffset(72, 700);
      c.showText("Appendix B");
      c.endText();
    }, 300), 300)).isTrue();
  }

  @Test
  void rulesAFrameAndAFewShapesAreNotText() throws IOException {
    for (int dpi : new int[] {150, 300}) {
      BufferedImage page = render(c -> OcrFixtures.drawNearlyBlank(c, PDRectangle.A4), dpi);
      assertThat(InkCheck.glyphs(page, dpi, 100)).as("%d dpi", dpi).isLessThan(InkCheck.MIN_GLYPHS);
      assertThat(InkCheck.mayHoldText(page, dpi)).isFalse();
    }
  }

  @Test
  void anEmptyPageAndScannerNoiseAreNotText() {
    BufferedImage white = new BufferedImage(2480, 3508, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = white.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, white.getWidth(), white.getHeight());
    g.dispose();
    assertThat(InkCheck.mayHoldText(white, 300)).isFalse();

    BufferedImage noise = new BufferedImage(2480, 3508, BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = ((DataBufferByte) noise.getRaster().getDataBuffer()).getData();
    Random random = new Random(5);
    for (int i = 0; i < pixels.length; i++) {
      int v = 232 + (int) (random.nextGaussian() * 18);
      if (random.nextInt(400) == 0) {
        v = 30;
      }
      pixels[i] = (byte) Math.max(0, Math.min(255, v));
    }
    assertThat(InkCheck.mayHoldText(noise, 300)).isFalse();
  }

  interface Drawing {
    void draw(PDPageContentStream c) throws IOException;
  }

  private static BufferedImage render(Drawing drawing, int dpi) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
        drawing.draw(c);
      }
      return new PDFRenderer(doc).renderImageWithDPI(0, dpi, ImageType.GRAY);
    }
  }
}

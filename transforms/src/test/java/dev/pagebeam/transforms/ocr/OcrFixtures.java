package dev.pagebeam.transforms.ocr;

import dev.pagebeam.transforms.split.TestPdfs;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Random;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Images with known text for OCR tests and the OCR benchmark: a page of prose rendered from a PDF,
 * the same page as a noisy, slightly rotated scan, and screenshots drawn like an error dialog and
 * a terminal.
 */
public final class OcrFixtures {
  /** About 300 words of prose with numbers, units and punctuation, in three paragraphs. */
  public static final String PROSE = String.join("\n\n",
      "The harbour office opens at seven in the morning and closes at half past five. Visitors who arrive"
          + " by boat must register at the east pier before they tie up, and they receive a mooring card that"
          + " shows the berth number, the depth at low water and the daily fee. In summer the fee is 24 euros"
          + " for a boat of up to ten metres, and every extra metre costs another 3 euros.",
      "Fresh water and electricity are available at every berth on the north side. The meters are read"
          + " each evening by the harbour master, who also collects the waste oil in sealed containers. Please"
          + " do not pour anything into the basin: the sluice gates open only twice a day, and pollution stays"
          + " in the water for weeks. Fuel is sold at the south quay between nine and noon.",
      "During storms the outer gate is closed and no boat may leave without permission. The weather report"
          + " is posted on the board next to the office at eight and at four. If the wind exceeds force seven,"
          + " the ferry to the island stops running, and the last crossing of the day may be cancelled at short"
          + " notice. Passengers can ask for a refund at the ticket desk or exchange their ticket for the next"
          + " day without a charge.");

  private OcrFixtures() {}

  /** {@link #PROSE} laid out on an A4 page in 10 pt Helvetica, rendered in gray at {@code dpi}. */
  public static BufferedImage prosePage(int dpi) throws IOException {
    try (PDDocument doc = Loader.loadPDF(TestPdfs.text(PROSE))) {
      return new PDFRenderer(doc).renderImageWithDPI(0, dpi, ImageType.GRAY);
    }
  }

  /**
   * The prose page as a scanner would give it: rendered at {@code dpi}, rotated by 1.2 degrees,
   * with speckle noise and a gray background.
   */
  public static BufferedImage scannedProsePage(int dpi, long seed) throws IOException {
    BufferedImage clean = prosePage(dpi);
    int w = clean.getWidth();
    int h = clean.getHeight();
    BufferedImage scan = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = scan.createGraphics();
    try {
      g.setColor(new Color(232, 232, 228));
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(clean, AffineTransform.getRotateInstance(Math.toRadians(1.2), w / 2.0, h / 2.0), null);
    } finally {
      g.dispose();
    }
    Random random = new Random(seed);
    byte[] pixels = ((java.awt.image.DataBufferByte) scan.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      int v = (pixels[i] & 0xff) + (int) (random.nextGaussian() * 18);
      if (random.nextInt(400) == 0) {
        v = random.nextBoolean() ? 30 : 250; // speckles
      }
      pixels[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return scan;
  }

  /** The key line of {@link #errorDialog()}. */
  public static final String DIALOG_ERROR = "Error 0x80070057: The parameter is incorrect.";

  /** A 640x300 error dialog at screen resolution: title bar, icon, message, details and buttons. */
  public static BufferedImage errorDialog() {
    return dialog("Backup Assistant", "The backup of drive D: could not be completed.", DIALOG_ERROR,
        "Check that the destination share is reachable and try again.");
  }

  /**
   * A 640x300 dialog at screen resolution: a title bar, an error icon, a message and a detail line in
   * 14 px sans serif, a hint in 12 px, and two buttons.
   */
  public static BufferedImage dialog(String title, String message, String detail, String hint) {
    BufferedImage img = new BufferedImage(640, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = screen(img, new Color(246, 246, 246));
    try {
      g.setColor(new Color(48, 48, 56));
      g.fillRect(0, 0, 640, 34);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, 14, 23);
      g.setColor(new Color(200, 40, 40));
      g.fillOval(28, 64, 40, 40);
      g.setColor(Color.WHITE);
      g.setStroke(new BasicStroke(5));
      g.drawLine(40, 76, 56, 92);
      g.drawLine(56, 76, 40, 92);
      g.setColor(new Color(30, 30, 30));
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      g.drawString(message, 90, 80);
      g.drawString(detail, 90, 104);
      g.setColor(new Color(90, 90, 90));
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(hint, 90, 134);
      button(g, 380, 240, "Retry");
      button(g, 500, 240, "Close");
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The key line of {@link #terminal()}. */
  public static final String TERMINAL_ERROR = "ERROR: relation \"invoices_2024\" does not exist";

  /** An 800x360 terminal at screen resolution: monospaced light text on a dark background. */
  public static BufferedImage terminal() {
    return terminal(
        "$ psql -h db01 -U report accounting",
        "psql (15.4)",
        "Type \"help\" for help.",
        "",
        "accounting=> SELECT count(*) FROM invoices_2024;",
        TERMINAL_ERROR,
        "LINE 1: SELECT count(*) FROM invoices_2024;",
        "",
        "accounting=> \\q",
        "$ _");
  }

  /** An 800x360 terminal showing {@code lines} in 14 px monospace; lines starting ERROR in red. */
  public static BufferedImage terminal(String... lines) {
    BufferedImage img = new BufferedImage(800, 360, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = screen(img, new Color(24, 26, 30));
    try {
      g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
      int y = 28;
      for (String line : lines) {
        g.setColor(line.startsWith("ERROR") ? new Color(255, 110, 100) : new Color(220, 224, 228));
        g.drawString(line, 14, y);
        y += 22;
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  private static Graphics2D screen(BufferedImage img, Color background) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(background);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    return g;
  }

  private static void button(Graphics2D g, int x, int y, String label) {
    g.setColor(new Color(225, 225, 228));
    g.fillRoundRect(x, y, 100, 32, 6, 6);
    g.setColor(new Color(30, 30, 30));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(label, x + 50 - g.getFontMetrics().stringWidth(label) / 2, y + 21);
  }

  /**
   * A PDF of scanned pages without a text layer: each page of text is laid out like
   * {@link TestPdfs#text}, rendered in gray at {@code dpi} and put back as one page-sized JPEG.
   */
  public static byte[] scannedPdf(int dpi, String... pages) throws IOException {
    try (PDDocument scans = new PDDocument(); PDDocument source = Loader.loadPDF(TestPdfs.text(pages))) {
      PDFRenderer renderer = new PDFRenderer(source);
      for (int i = 0; i < pages.length; i++) {
        BufferedImage scan = renderer.renderImageWithDPI(i, dpi, ImageType.GRAY);
        PDPage page = new PDPage(PDRectangle.A4);
        scans.addPage(page);
        PDImageXObject image = JPEGFactory.createFromImage(scans, scan, 0.8f);
        try (PDPageContentStream c = new PDPageContentStream(scans, page)) {
          c.drawImage(image, 0, 0, page.getMediaBox().getWidth(), page.getMediaBox().getHeight());
        }
      }
      return TestPdfs.save(scans);
    }
  }

  /** The caption under the screenshot of {@link #figurePdf}. */
  public static final String FIGURE_CAPTION = "Figure 4: The backup assistant refuses the destination share.";

  /**
   * One page of text with the {@link #errorDialog} drawn in it at 96 dpi, a caption under it, a
   * paragraph above and one below.
   */
  public static byte[] figurePdf() throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      BufferedImage dialog = errorDialog();
      PDImageXObject shot = LosslessFactory.createFromImage(doc, dialog);
      float w = dialog.getWidth() * 72f / 96;
      float h = dialog.getHeight() * 72f / 96;
      try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
        line(c, "Backups run every night at two. When one fails, the assistant shows a dialog", 760);
        line(c, "with the reason; the next attempt waits for the following night.", 746);
        c.drawImage(shot, 60, 730 - 12 - h, w, h);
        float below = 730 - 12 - h - 18;
        line(c, FIGURE_CAPTION, below);
        line(c, "Check the share's permissions before you retry the backup by hand.", below - 40);
      }
      return TestPdfs.save(doc);
    }
  }

  /**
   * Draws what a page without text often holds instead: header and footer rules, a frame, a
   * circle, a diagonal and two small filled marks, all vector graphics, no text.
   */
  public static void drawNearlyBlank(PDPageContentStream c, PDRectangle box) throws IOException {
    float w = box.getWidth();
    float h = box.getHeight();
    c.setLineWidth(0.8f);
    c.moveTo(50, h - 60);
    c.lineTo(w - 50, h - 60);
    c.moveTo(50, 60);
    c.lineTo(w - 50, 60);
    c.stroke();
    c.setLineWidth(2f);
    c.addRect(90, h / 2 - 120, w - 180, 240);
    c.moveTo(100, h / 2 - 110);
    c.lineTo(w - 100, h / 2 + 110);
    c.stroke();
    float r = 40;
    float k = 0.5523f * r;
    float cx = w / 2;
    float cy = h / 2 + 200;
    c.moveTo(cx + r, cy);
    c.curveTo(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    c.curveTo(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    c.curveTo(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    c.curveTo(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    c.stroke();
    c.addRect(60, 80, 8, 8);
    c.addRect(w - 68, 80, 8, 8);
    c.fill();
  }

  /**
   * Three pages without a text layer: {@link #drawNearlyBlank} in vector graphics, the noisy scan
   * of {@link #PROSE} ({@link #scannedProsePage} at 200 dpi, as a JPEG), and an empty page.
   */
  public static byte[] nearlyBlankScanAndEmptyPdf() throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage rules = new PDPage(PDRectangle.A4);
      doc.addPage(rules);
      try (PDPageContentStream c = new PDPageContentStream(doc, rules)) {
        drawNearlyBlank(c, rules.getMediaBox());
      }
      PDPage scan = new PDPage(PDRectangle.A4);
      doc.addPage(scan);
      PDImageXObject image = JPEGFactory.createFromImage(doc, scannedProsePage(200, 7), 0.8f);
      try (PDPageContentStream c = new PDPageContentStream(doc, scan)) {
        c.drawImage(image, 0, 0, scan.getMediaBox().getWidth(), scan.getMediaBox().getHeight());
      }
      doc.addPage(new PDPage(PDRectangle.A4));
      return TestPdfs.save(doc);
    }
  }

  private static void line(PDPageContentStream c, String text, float y) throws IOException {
    c.beginText();
    c.setFont(TestPdfs.FONT, 10);
    c.newLineAtOffset(60, y);
    c.showText(text);
    c.endText();
  }
}

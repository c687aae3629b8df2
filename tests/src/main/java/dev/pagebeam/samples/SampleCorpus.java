package dev.pagebeam.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Random;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Generates the sample corpus shipped in {@code samples/}: five small PDFs written for this
 * project, covering flowing text, a screenshot-like raster image, a photo-like JPEG, vector
 * diagrams, a logo repeated on every page (deduplicated), a tiny icon (below the image size
 * limit) and a scanned-like page with no text layer.
 *
 * <p>Run: {@code scripts/make-samples.sh} (writes to samples/).
 */
public final class SampleCorpus {
  private static final Random RANDOM = new Random(4821);

  private SampleCorpus() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "samples");
    Files.createDirectories(dir);
    espressoGuide(dir.resolve("espresso-field-guide.pdf"));
    lighthouseAdminGuide(dir.resolve("lighthouse-sync-admin-guide.pdf"));
    exportTicket(dir.resolve("ticket-4821-export-hangs.pdf"));
    scannedDeliveryNote(dir.resolve("scanned-delivery-note.pdf"));
    tideResearchNote(dir.resolve("tide-gauge-research-note.pdf"));
    System.out.println("wrote 5 sample PDFs to " + dir.toAbsolutePath());
  }

  static void espressoGuide(Path out) throws IOException {
    try (PDDocument doc = newDocument("A Field Guide to Home Espresso")) {
      PDImageXObject logo = LosslessFactory.createFromImage(doc, logo());
      PDImageXObject icon = LosslessFactory.createFromImage(doc, tinyIcon());
      try (PdfLayout p = new PdfLayout(doc)) {
        stamp(p, logo, icon);
        p.heading("1. Grinding and dosing");
        p.paragraph("Espresso is brewed by forcing water at about nine bar through a compacted bed of finely ground"
            + " coffee. The grind size is the main control you have over flow: a finer grind slows the shot, a"
            + " coarser grind speeds it up. Change one variable at a time and write down what you changed.");
        p.paragraph("Weigh the dry coffee for every shot. A double basket usually takes between seventeen and"
            + " nineteen grams. Dosing by eye drifts by two grams or more, which changes the extraction as much"
            + " as a full step on the grinder dial.");
        p.paragraph("Burr grinders produce a consistent particle size; blade grinders produce dust and boulders in"
            + " the same batch, and the dust chokes the puck while the boulders under-extract. Stale beans need a"
            + " finer setting than fresh ones because they have lost most of their carbon dioxide.");
      }
      try (PdfLayout p = new PdfLayout(doc)) {
        stamp(p, logo, icon);
        p.heading("2. The extraction workflow");
        p.paragraph("The diagram below shows the five steps of a shot. Each arrow is a hand-off where most mistakes"
            + " happen: uneven distribution before tamping causes channeling, and channeling makes a shot taste"
            + " sour and bitter at once.");
        flowDiagram(p, new String[] {"Grind", "Dose", "Tamp", "Extract", "Taste"}, p.y - 40);
        p.y -= 150;
        p.paragraph("Aim for a brew ratio of one to two: eighteen grams of coffee in, thirty-six grams of espresso"
            + " out, in twenty-five to thirty seconds. If the shot runs fast and tastes sour, grind finer. If it"
            + " runs slow and tastes harsh, grind coarser.");
      }
      try (PdfLayout p = new PdfLayout(doc)) {
        stamp(p, logo, icon);
        p.heading("3. Milk and cleaning");
        p.paragraph("Steam cold milk in a cold pitcher. Keep the steam tip just below the surface for the first few"
            + " seconds to stretch the milk, then lower it to spin a whirlpool that polishes the bubbles into"
            + " microfoam. Stop at about sixty degrees Celsius, when the pitcher becomes too hot to hold.");
        p.paragraph("Backflush the group head with a blind basket and detergent once a week, and purge the steam"
            + " wand after every use. Descale the boiler according to your water hardness; soft water with some"
            + " buffering protects the machine without making the coffee taste flat.");
      }
      save(doc, out);
    }
  }

  static void lighthouseAdminGuide(Path out) throws IOException {
    try (PDDocument doc = newDocument("Lighthouse Sync 2.4 Administrator Guide")) {
      try (PdfLayout p = new PdfLayout(doc)) {
        p.heading("Lighthouse Sync 2.4 - Installation");
        p.paragraph("Lighthouse Sync mirrors shared folders between branch offices over unreliable links. The"
            + " server runs as a single process and keeps its state in an embedded database under"
            + " /var/lib/lighthouse. Install the package, then run lighthouse-admin init to create the first"
            + " administrator account.");
        p.paragraph("The sync daemon listens on port 7420 for peers and on port 7421 for the web console. Both"
            + " ports must be reachable from every branch. The daemon refuses to start when the clock drifts by"
            + " more than ninety seconds from its peers, because conflict resolution relies on timestamps.");
      }
      try (PdfLayout p = new PdfLayout(doc)) {
        p.heading("Configuring a replication policy");
        p.paragraph("Open the web console and choose Settings, then Replication. The screenshot below shows the"
            + " policy dialog with bandwidth limits and the conflict strategy.");
        PDImageXObject shot = LosslessFactory.createFromImage(doc, settingsScreenshot());
        float w = p.width();
        float h = w * shot.getHeight() / shot.getWidth();
        p.y -= h + 12;
        p.content.drawImage(shot, PdfLayout.MARGIN, p.y, w, h);
        p.y -= 6;
        p.paragraph("Set the bandwidth cap during office hours to protect video calls. The conflict strategy"
            + " keep-both renames the older copy with the branch name appended, so no edit is ever lost.");
      }
      try (PdfLayout p = new PdfLayout(doc)) {
        p.heading("Troubleshooting");
        p.paragraph("If a branch shows the status stalled for more than an hour, check the journal with"
            + " lighthouse-admin journal --branch NAME. A stalled branch is almost always caused by a file that"
            + " is locked by another program on the Windows side.");
        p.paragraph("Error LHS-209 means the peer certificate expired. Renew it with lighthouse-admin certs"
            + " renew and restart the daemon; peers pick up the new certificate within five minutes.");
      }
      save(doc, out);
    }
  }

  static void exportTicket(Path out) throws IOException {
    try (PDDocument doc = newDocument("Ticket 4821: export hangs at 99 percent")) {
      try (PdfLayout p = new PdfLayout(doc)) {
        p.heading("Ticket #4821 - Export hangs at 99%");
        p.paragraph("Reporter: accounting team, branch Rotterdam. Priority: high. Component: report export.");
        p.paragraph("Steps to reproduce: open the quarterly ledger, choose Export as spreadsheet, and select all"
            + " twelve months. The progress bar stops at ninety-nine percent and the dialog never closes. Smaller"
            + " exports of one or two months finish normally.");
        PDImageXObject shot = LosslessFactory.createFromImage(doc, errorDialogScreenshot());
        float w = p.width() * 0.8f;
        float h = w * shot.getHeight() / shot.getWidth();
        p.y -= h + 12;
        p.content.drawImage(shot, PdfLayout.MARGIN, p.y, w, h);
        p.y -= 6;
        p.paragraph("Analysis: the exporter builds the whole workbook in memory before writing it. With twelve"
            + " months the temporary sheet exceeds the worker's heap limit and the worker is restarted silently,"
            + " so the dialog waits for a result that never comes.");
      }
      try (PdfLayout p = new PdfLayout(doc)) {
        p.heading("Resolution");
        p.paragraph("Workaround: export one quarter at a time. Fix: the exporter now streams rows to disk and the"
            + " dialog shows an error when the worker dies, instead of waiting forever. The photo below was"
            + " attached by the reporter and shows the office printer label used for the hardware inventory.");
        PDImageXObject photo = JPEGFactory.createFromImage(doc, photoLike(), 0.85f);
        float w = 220;
        float h = w * photo.getHeight() / photo.getWidth();
        p.y -= h + 12;
        p.content.drawImage(photo, PdfLayout.MARGIN, p.y, w, h);
      }
      save(doc, out);
    }
  }

  static void scannedDeliveryNote(Path out) throws IOException {
    try (PDDocument doc = newDocument("Scanned delivery note")) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDImageXObject scan = JPEGFactory.createFromImage(doc, scannedPage(), 0.7f);
      try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
        // The whole page is one image: no text layer, like a scan without OCR.
        c.drawImage(scan, 0, 0, page.getMediaBox().getWidth(), page.getMediaBox().getHeight());
      }
      save(doc, out);
    }
  }

  static void tideResearchNote(Path out) throws IOException {
    try (PDDocument doc = newDocument("Tide gauge drift: a research note")) {
      try (PdfLayout p = new PdfLayout(doc)) {
        p.heading("Correcting drift in low-cost tide gauges");
        p.paragraph("Pressure-based tide gauges drift as their sensors age. Over a season we compared six low-cost"
            + " gauges against a reference radar gauge in the same harbour basin. The median drift was four"
            + " millimetres per month, always in the direction of higher readings.");
        p.paragraph("The chart below shows the mean absolute error of each gauge after ninety days, before and"
            + " after the correction. Gauges C and F were mounted in direct sunlight and drifted the most.");
        barChart(p, p.y - 20);
        p.y -= 190;
        p.paragraph("The correction fits a linear trend to the difference between each gauge and the reference"
            + " during a two-week calibration window, then subtracts that trend from later readings.");
      }
      try (PdfLayout p = new PdfLayout(doc)) {
        p.heading("Limitations");
        p.paragraph("The linear model fails after a storm surge, when silt settles on the pressure port and the"
            + " drift jumps instead of creeping. A second calibration window after each storm restores the"
            + " accuracy. Temperature compensation remains future work.");
      }
      save(doc, out);
    }
  }

  // ---- drawing helpers -------------------------------------------------------------------

  private static void stamp(PdfLayout p, PDImageXObject logo, PDImageXObject icon) throws IOException {
    float top = p.page.getMediaBox().getHeight() - 40;
    p.content.drawImage(logo, p.page.getMediaBox().getWidth() - PdfLayout.MARGIN - 32, top - 32, 32, 32);
    p.content.drawImage(icon, PdfLayout.MARGIN, top - 12, 12, 12);
  }

  /** Boxes joined by arrows, drawn with vector operators (a vector diagram, not an image). */
  private static void flowDiagram(PdfLayout p, String[] steps, float top) throws IOException {
    PDPageContentStream c = p.content;
    float boxW = 72;
    float boxH = 36;
    float gap = (p.width() - steps.length * boxW) / (steps.length - 1);
    float y = top - boxH;
    for (int i = 0; i < steps.length; i++) {
      float x = PdfLayout.MARGIN + i * (boxW + gap);
      c.setNonStrokingColor(new Color(0xE8, 0xF0, 0xFA));
      c.setStrokingColor(new Color(0x2B, 0x4C, 0x7E));
      c.setLineWidth(1.2f);
      c.addRect(x, y, boxW, boxH);
      c.fillAndStroke();
      c.setNonStrokingColor(Color.BLACK);
      c.beginText();
      c.setFont(PdfLayout.BOLD, 10);
      float tw = PdfLayout.BOLD.getStringWidth(steps[i]) / 1000 * 10;
      c.newLineAtOffset(x + (boxW - tw) / 2, y + boxH / 2 - 3);
      c.showText(steps[i]);
      c.endText();
      if (i + 1 < steps.length) {
        float ax = x + boxW + 3;
        float bx = x + boxW + gap - 3;
        float ay = y + boxH / 2;
        c.moveTo(ax, ay);
        c.lineTo(bx, ay);
        c.stroke();
        c.moveTo(bx, ay);
        c.lineTo(bx - 6, ay + 4);
        c.lineTo(bx - 6, ay - 4);
        c.closePath();
        c.setNonStrokingColor(new Color(0x2B, 0x4C, 0x7E));
        c.fill();
      }
    }
    c.setNonStrokingColor(Color.BLACK);
  }

  /** A bar chart drawn with vector operators. */
  private static void barChart(PdfLayout p, float top) throws IOException {
    PDPageContentStream c = p.content;
    String[] gauges = {"A", "B", "C", "D", "E", "F"};
    float[] before = {21, 18, 34, 16, 19, 38};
    float[] after = {6, 5, 9, 4, 6, 11};
    float x0 = PdfLayout.MARGIN + 30;
    float y0 = top - 160;
    c.setStrokingColor(Color.BLACK);
    c.moveTo(x0, y0);
    c.lineTo(x0, top);
    c.moveTo(x0, y0);
    c.lineTo(x0 + 400, y0);
    c.stroke();
    for (int i = 0; i < gauges.length; i++) {
      float x = x0 + 20 + i * 64;
      c.setNonStrokingColor(new Color(0xC0, 0x50, 0x40));
      c.addRect(x, y0, 20, before[i] * 3.5f);
      c.fill();
      c.setNonStrokingColor(new Color(0x40, 0x80, 0x50));
      c.addRect(x + 22, y0, 20, after[i] * 3.5f);
      c.fill();
      c.setNonStrokingColor(Color.BLACK);
      c.beginText();
      c.setFont(PdfLayout.REGULAR, 9);
      c.newLineAtOffset(x + 16, y0 - 12);
      c.showText("Gauge " + gauges[i]);
      c.endText();
    }
    c.beginText();
    c.setFont(PdfLayout.REGULAR, 9);
    c.newLineAtOffset(x0 - 26, top - 8);
    c.showText("mm");
    c.endText();
  }

  private static BufferedImage logo() {
    BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = graphics(img);
    g.setColor(new Color(0x6F, 0x4E, 0x37));
    g.fillOval(8, 8, 80, 80);
    g.setColor(new Color(0xF5, 0xE6, 0xD3));
    g.setStroke(new BasicStroke(6));
    g.drawArc(28, 20, 40, 56, 100, 160);
    g.dispose();
    return img;
  }

  private static BufferedImage tinyIcon() {
    BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(img);
    g.setColor(new Color(0x2B, 0x4C, 0x7E));
    g.fillRect(0, 0, 24, 24);
    g.setColor(Color.WHITE);
    g.fillRect(6, 6, 12, 12);
    g.dispose();
    return img;
  }

  /** A settings dialog, drawn like a screenshot: chrome, sidebar, form fields and buttons. */
  private static BufferedImage settingsScreenshot() {
    BufferedImage img = new BufferedImage(900, 560, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(img);
    g.setColor(new Color(0xF3, 0xF4, 0xF6));
    g.fillRect(0, 0, 900, 560);
    g.setColor(new Color(0x1F, 0x29, 0x37));
    g.fillRect(0, 0, 900, 44);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString("Lighthouse Sync - Settings", 20, 29);
    g.setColor(new Color(0xE5, 0xE7, 0xEB));
    g.fillRect(0, 44, 200, 516);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
    String[] menu = {"General", "Replication", "Branches", "Certificates", "Journal"};
    for (int i = 0; i < menu.length; i++) {
      if (i == 1) {
        g.setColor(new Color(0x3B, 0x82, 0xF6));
        g.fillRect(0, 64 + i * 40, 200, 36);
        g.setColor(Color.WHITE);
      } else {
        g.setColor(new Color(0x37, 0x41, 0x51));
      }
      g.drawString(menu[i], 24, 88 + i * 40);
    }
    g.setColor(new Color(0x11, 0x18, 0x27));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
    g.drawString("Replication policy", 230, 90);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    String[][] fields = {
      {"Bandwidth cap (office hours)", "2 Mbit/s"},
      {"Bandwidth cap (night)", "unlimited"},
      {"Conflict strategy", "keep-both"},
      {"Retry interval", "30 s"},
    };
    for (int i = 0; i < fields.length; i++) {
      int y = 140 + i * 64;
      g.setColor(new Color(0x37, 0x41, 0x51));
      g.drawString(fields[i][0], 230, y);
      g.setColor(Color.WHITE);
      g.fillRect(230, y + 10, 360, 32);
      g.setColor(new Color(0x9C, 0xA3, 0xAF));
      g.drawRect(230, y + 10, 360, 32);
      g.setColor(new Color(0x11, 0x18, 0x27));
      g.drawString(fields[i][1], 240, y + 32);
    }
    g.setColor(new Color(0x3B, 0x82, 0xF6));
    g.fillRoundRect(700, 490, 160, 40, 10, 10);
    g.setColor(Color.WHITE);
    g.drawString("Save policy", 738, 516);
    g.dispose();
    return img;
  }

  private static BufferedImage errorDialogScreenshot() {
    BufferedImage img = new BufferedImage(640, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(img);
    g.setColor(new Color(0xFA, 0xFA, 0xFA));
    g.fillRect(0, 0, 640, 300);
    g.setColor(new Color(0x33, 0x33, 0x33));
    g.fillRect(0, 0, 640, 36);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString("Exporting quarterly ledger...", 14, 24);
    g.setColor(new Color(0x22, 0x22, 0x22));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    g.drawString("Writing sheet 12 of 12 (December)", 30, 90);
    g.setColor(new Color(0xDD, 0xDD, 0xDD));
    g.fillRect(30, 120, 580, 28);
    g.setColor(new Color(0x16, 0xA3, 0x4A));
    g.fillRect(30, 120, 574, 28);
    g.setColor(Color.BLACK);
    g.drawString("99%", 300, 140);
    g.setColor(new Color(0xE5, 0xE5, 0xE5));
    g.fillRoundRect(500, 230, 110, 36, 8, 8);
    g.setColor(Color.BLACK);
    g.drawString("Cancel", 530, 254);
    g.dispose();
    return img;
  }

  /** Smooth gradients and soft shapes: compresses like a photo (stored as JPEG). */
  private static BufferedImage photoLike() {
    BufferedImage img = new BufferedImage(480, 320, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(img);
    g.setPaint(new GradientPaint(0, 0, new Color(0x8F, 0xB8, 0xDE), 0, 320, new Color(0xD9, 0xC8, 0xA9)));
    g.fillRect(0, 0, 480, 320);
    g.setColor(new Color(0xFF, 0xFF, 0xF0));
    g.fillRoundRect(120, 90, 240, 140, 16, 16);
    g.setColor(new Color(0x20, 0x20, 0x20));
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 22));
    g.drawString("INV-2231-PRN", 160, 150);
    g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 16));
    g.drawString("Floor 3 / Room 12", 160, 185);
    for (int i = 0; i < 4000; i++) {
      int x = RANDOM.nextInt(480);
      int y = RANDOM.nextInt(320);
      int v = RANDOM.nextInt(40);
      g.setColor(new Color(v, v, v, 40));
      g.fillRect(x, y, 2, 2);
    }
    g.dispose();
    return img;
  }

  /** A page of text rendered to pixels, slightly rotated and noisy, like a scan without OCR. */
  private static BufferedImage scannedPage() {
    int w = 1240;
    int h = 1754;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = graphics(img);
    g.setColor(new Color(0xF4, 0xF4, 0xF0));
    g.fillRect(0, 0, w, h);
    AffineTransform tilt = AffineTransform.getRotateInstance(Math.toRadians(0.6), w / 2.0, h / 2.0);
    g.transform(tilt);
    g.setColor(new Color(0x25, 0x25, 0x25));
    g.setFont(new Font(Font.SERIF, Font.BOLD, 40));
    g.drawString("DELIVERY NOTE  No. 77-1406", 120, 200);
    g.setFont(new Font(Font.SERIF, Font.PLAIN, 28));
    String[] lines = {
      "Shipped to: Harbour Office, Quay Street 4",
      "Date: 14 March",
      "",
      "Qty   Item",
      "  2   Pressure sensor, marine grade",
      "  1   Radar reference gauge bracket",
      "  6   Cable gland, 12 mm",
      "",
      "Received in good condition. Signature:",
    };
    for (int i = 0; i < lines.length; i++) {
      g.drawString(lines[i], 120, 320 + i * 56);
    }
    g.setStroke(new BasicStroke(3));
    g.drawLine(640, 780, 980, 760);
    g.dispose();
    // scanner noise
    for (int i = 0; i < 30000; i++) {
      int x = RANDOM.nextInt(w);
      int y = RANDOM.nextInt(h);
      int v = 150 + RANDOM.nextInt(100);
      img.getRaster().setSample(x, y, 0, v);
    }
    return img;
  }

  private static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    return g;
  }

  // ---- documents -------------------------------------------------------------------------

  private static PDDocument newDocument(String title) {
    PDDocument doc = new PDDocument();
    PDDocumentInformation info = doc.getDocumentInformation();
    info.setTitle(title);
    info.setAuthor("pagebeam sample corpus");
    info.setProducer("pagebeam SampleCorpus");
    Calendar date = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    date.clear();
    date.set(2026, Calendar.JANUARY, 1);
    info.setCreationDate(date);
    info.setModificationDate(date);
    return doc;
  }

  private static void save(PDDocument doc, Path out) throws IOException {
    // A fixed file identifier keeps regenerated files comparable.
    COSArray id = new COSArray();
    byte[] fixed = out.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    id.add(new COSString(fixed));
    id.add(new COSString(fixed));
    doc.getDocument().getTrailer().setItem(COSName.ID, id);
    doc.save(out.toFile());
  }
}

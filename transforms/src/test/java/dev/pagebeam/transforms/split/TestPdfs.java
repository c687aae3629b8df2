package dev.pagebeam.transforms.split;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** Builds the small PDFs the unit tests need, including deliberately broken ones. */
public final class TestPdfs {
  public static final PDType1Font FONT = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

  private TestPdfs() {}

  /** One page per string; blank lines in a string separate paragraphs. */
  public static byte[] text(String... pages) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      for (String pageText : pages) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
          writeText(c, pageText, 760);
        }
      }
      return save(doc);
    }
  }

  public static void writeText(PDPageContentStream c, String text, float top) throws IOException {
    float y = top;
    for (String paragraph : text.split("\n\n")) {
      for (String line : wrap(paragraph, 480)) {
        y -= 14;
        if (y < 40) {
          return;
        }
        c.beginText();
        c.setFont(FONT, 10);
        c.newLineAtOffset(50, y);
        c.showText(line);
        c.endText();
      }
      y -= 12;
    }
  }

  public static List<String> wrap(String text, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.replace('\n', ' ').split(" +")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (FONT.getStringWidth(candidate) / 1000 * 10 > width && line.length() > 0) {
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

  public static BufferedImage picture(int w, int h, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(seed * 40 % 255, 120, 200));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    return img;
  }

  /**
   * Page 1: a 400x300 picture, a 32x32 icon and a 200x100 picture. Page 2: the same 400x300
   * XObject again and a second XObject with identical pixels (both must deduplicate). Page 3: a
   * 300x300 picture drawn twice.
   */
  public static byte[] images() throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDImageXObject big = LosslessFactory.createFromImage(doc, picture(400, 300, 1));
      PDImageXObject bigCopy = LosslessFactory.createFromImage(doc, picture(400, 300, 1));
      PDImageXObject icon = LosslessFactory.createFromImage(doc, picture(32, 32, 2));
      PDImageXObject wide = LosslessFactory.createFromImage(doc, picture(200, 100, 3));
      PDImageXObject square = LosslessFactory.createFromImage(doc, picture(300, 300, 4));
      PDPage p1 = new PDPage(PDRectangle.A4);
      doc.addPage(p1);
      try (PDPageContentStream c = new PDPageContentStream(doc, p1)) {
        writeText(c, "A page with a picture, an icon and a banner.", 800);
        c.drawImage(big, 50, 400, 400, 300);
        c.drawImage(icon, 50, 350, 32, 32);
        c.drawImage(wide, 50, 200, 200, 100);
      }
      PDPage p2 = new PDPage(PDRectangle.A4);
      doc.addPage(p2);
      try (PDPageContentStream c = new PDPageContentStream(doc, p2)) {
        writeText(c, "The same picture again, twice.", 800);
        c.drawImage(big, 50, 400, 200, 150);
        c.drawImage(bigCopy, 50, 100, 200, 150);
      }
      PDPage p3 = new PDPage(PDRectangle.A4);
      doc.addPage(p3);
      try (PDPageContentStream c = new PDPageContentStream(doc, p3)) {
        c.drawImage(square, 50, 400, 300, 300);
        c.drawImage(square, 50, 50, 100, 100);
      }
      return save(doc);
    }
  }

  /** A landscape page and a portrait page of unusual sizes. */
  public static byte[] oddPageSizes() throws IOException {
    try (PDDocument doc = new PDDocument()) {
      for (PDRectangle box : List.of(new PDRectangle(842, 300), new PDRectangle(200, 900), new PDRectangle(14400, 14400))) {
        PDPage page = new PDPage(box);
        doc.addPage(page);
        try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
          writeText(c, "size " + box.getWidth() + " x " + box.getHeight(), box.getHeight() - 20);
        }
      }
      return save(doc);
    }
  }

  /**
   * A page whose only image declares {@code side x side} 8-bit gray pixels with a real, valid
   * Flate stream: decoding it would need side*side*4 bytes of heap. A second page is normal.
   */
  public static byte[] hugeImage(int side) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(new PDRectangle(2000, 2000));
      doc.addPage(page);
      COSStream stream = doc.getDocument().createCOSStream();
      try (OutputStream raw = stream.createRawOutputStream();
           DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
        byte[] row = new byte[side];
        for (int y = 0; y < side; y++) {
          z.write(row);
        }
      }
      stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
      stream.setItem(COSName.TYPE, COSName.XOBJECT);
      stream.setItem(COSName.SUBTYPE, COSName.IMAGE);
      stream.setInt(COSName.WIDTH, side);
      stream.setInt(COSName.HEIGHT, side);
      stream.setInt(COSName.BITS_PER_COMPONENT, 8);
      stream.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
      PDImageXObject huge = new PDImageXObject(new org.apache.pdfbox.pdmodel.common.PDStream(stream), null);
      try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
        c.drawImage(huge, 0, 0, 2000, 2000);
        writeText(c, "A page with an enormous image.", 1980);
      }
      PDPage normal = new PDPage(PDRectangle.A4);
      doc.addPage(normal);
      try (PDPageContentStream c = new PDPageContentStream(doc, normal)) {
        writeText(c, "The second page is ordinary text and must still be processed.", 800);
        c.drawImage(LosslessFactory.createFromImage(doc, picture(120, 120, 5)), 50, 400, 120, 120);
      }
      return save(doc);
    }
  }

  /** One page whose content stream has {@code operations} path operators: slow to interpret. */
  public static byte[] slowPage(int operations) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      for (int p = 0; p < 3; p++) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
          writeText(c, "Page " + (p + 1) + " is full of tiny strokes.", 800);
          for (int i = 0; i < operations; i++) {
            c.moveTo(i % 500, i % 700);
            c.lineTo(i % 500 + 1, i % 700 + 1);
            c.stroke();
          }
        }
      }
      return save(doc);
    }
  }

  public static byte[] encrypted(byte[] pdf) throws IOException {
    try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
      policy.setEncryptionKeyLength(128);
      doc.protect(policy);
      return save(doc);
    }
  }

  /** Overwrites every digit of the cross-reference table and the startxref offset with garbage. */
  public static byte[] brokenXref(byte[] pdf) {
    byte[] out = pdf.clone();
    String s = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    int xref = s.lastIndexOf("xref\n");
    if (xref < 0) {
      xref = s.lastIndexOf("xref");
    }
    int end = s.indexOf("trailer", xref);
    for (int i = xref + 5; i < end; i++) {
      if (Character.isDigit(out[i])) {
        out[i] = (byte) ('0' + (out[i] * 7 + i) % 10);
      }
    }
    int startxref = s.lastIndexOf("startxref");
    for (int i = startxref + 9; i < out.length; i++) {
      if (Character.isDigit(out[i])) {
        out[i] = '9';
      }
    }
    return out;
  }

  public static byte[] save(PDDocument doc) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    doc.save(out, org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
    return out.toByteArray();
  }

  public static Path write(Path dir, String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }
}

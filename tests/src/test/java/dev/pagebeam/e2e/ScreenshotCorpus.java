package dev.pagebeam.e2e;

import dev.pagebeam.transforms.ocr.OcrFixtures;
import dev.pagebeam.transforms.split.TestPdfs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * A PDF whose pages carry the same boilerplate and differ only by a screenshot, and a text question
 * about each screenshot's content: only what is read inside the images tells the pages apart.
 */
final class ScreenshotCorpus {
  static final String BOILERPLATE = "Attached screenshot from the customer's machine. Compare it with the"
      + " description in the ticket before you escalate, and note the build number in your reply.";

  /** One page: its screenshot and a question about what the screenshot shows. */
  static final class Shot {
    final BufferedImage image;
    final String question;

    Shot(BufferedImage image, String question) {
      this.image = image;
      this.question = question;
    }
  }

  static final List<Shot> SHOTS = List.of(
      new Shot(OcrFixtures.errorDialog(), "the backup of drive D failed because a parameter is incorrect"),
      new Shot(OcrFixtures.terminal(), "postgres says the invoices_2024 table does not exist"),
      new Shot(OcrFixtures.dialog("Print Queue", "Printer HP-4th-Floor is offline.", "Paper jam in tray 2.",
          "Open the front cover and remove the jammed sheet."), "paper stuck in the second tray of the printer"),
      new Shot(OcrFixtures.terminal("$ cp /tmp/export.tar /var/lib/archive/",
          "cp: error writing '/var/lib/archive/export.tar': No space left on device", "$ df -h /var",
          "Filesystem      Size  Used Avail Use% Mounted on", "/dev/sda3        40G   40G     0 100% /var"),
          "copying fails because the disk partition is full"),
      new Shot(OcrFixtures.dialog("VPN Client", "Connection to gateway vpn.example.org timed out.",
          "The server did not answer within 30 seconds.", "Check your network connection and try again."),
          "cannot connect to the VPN gateway, it times out"),
      new Shot(OcrFixtures.dialog("License Manager", "Your license for Design Studio expired on 31 March.",
          "Features are disabled until the license is renewed.", "Contact your sales representative."),
          "the software license has expired and needs renewing"),
      new Shot(OcrFixtures.terminal("$ git push origin main", "To git.example.org:web/shop.git",
          " ! [rejected]        main -> main (non-fast-forward)",
          "error: failed to push some refs to 'git.example.org:web/shop.git'",
          "hint: Updates were rejected because the tip of your current branch is behind"),
          "git refuses my push because my branch is behind the remote"),
      new Shot(OcrFixtures.dialog("Mail", "The message could not be sent.",
          "The attachment exceeds the size limit of 25 MB.", "Share large files with a link instead."),
          "email with a big attachment cannot be sent"),
      new Shot(OcrFixtures.terminal("$ java -jar reports.jar --year=2024",
          "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
          "    at java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
          "    at com.example.reports.Sheet.grow(Sheet.java:88)"),
          "the java report program runs out of heap memory"),
      new Shot(OcrFixtures.dialog("Security Warning", "The certificate of intranet.local is not trusted.",
          "It was issued by an unknown certificate authority.", "Do not enter passwords on this site."),
          "browser warns that the intranet certificate is not trusted"),
      new Shot(OcrFixtures.dialog("Room Booking", "Meeting room Atlas is already booked.",
          "Reserved from 10:00 to 11:00 by the finance team.", "Pick another room or another time."),
          "the Atlas meeting room is taken by someone else"),
      new Shot(OcrFixtures.terminal("$ ping db01.internal", "ping: db01.internal: Name or service not known",
          "$ nslookup db01.internal", "** server can't find db01.internal: NXDOMAIN"),
          "the database host name cannot be resolved by DNS"));

  private ScreenshotCorpus() {}

  /** Page i+1 shows SHOTS[i] at screen resolution (96 dpi) under the same paragraph. */
  static byte[] pdf() throws IOException {
    try (PDDocument doc = new PDDocument()) {
      for (Shot shot : SHOTS) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        PDImageXObject image = LosslessFactory.createFromImage(doc, shot.image);
        float w = shot.image.getWidth() * 72f / 96;
        float h = shot.image.getHeight() * 72f / 96;
        try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
          TestPdfs.writeText(c, BOILERPLATE, 780);
          c.drawImage(image, 50, 700 - h, w, h);
        }
      }
      return TestPdfs.save(doc);
    }
  }
}

package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.transforms.ocr.OcrFixtures;
import dev.pagebeam.transforms.split.TestPdfs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input file ends in exactly one ledger line: indexed (with the number of vectors the sink
 * holds for it), failed (with the reason), or no searchable content (with the reason). The file
 * list is the test's own, not the run's.
 */
class LedgerTest {
  @TempDir Path in;
  @TempDir Path out;

  /** The test's own corpus: file name -> what it is. */
  private Map<String, String> corpus() throws Exception {
    Map<String, String> files = new TreeMap<>();
    TestPdfs.write(in, "manual.pdf", TestPdfs.text("A page about tide gauges and their drift. ".repeat(40),
        "The second page explains the calibration window."));
    files.put("manual.pdf", "text");
    Files.write(in.resolve("scan.pdf"), OcrFixtures.scannedPdf(200, OcrFixtures.PROSE.split("\n\n")[0]));
    files.put("scan.pdf", "scanned");
    Files.write(in.resolve("photo-only.pdf"), photoOnly());
    files.put("photo-only.pdf", "an image without text");
    TestPdfs.write(in, "empty.pdf", new byte[0]);
    files.put("empty.pdf", "empty");
    TestPdfs.write(in, "notes.pdf", "plain text, not a PDF\n".getBytes(StandardCharsets.UTF_8));
    files.put("notes.pdf", "not a PDF");
    TestPdfs.write(in, "locked.pdf", TestPdfs.encrypted(TestPdfs.text("Salaries 2026.")));
    files.put("locked.pdf", "encrypted");
    return files;
  }

  /** One page whose only content is a photo-like picture: no text layer, nothing OCR can read. */
  static byte[] photoOnly() throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      BufferedImage picture = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = picture.createGraphics();
      g.setPaint(new java.awt.GradientPaint(0, 0, new Color(40, 90, 160), 400, 300, new Color(220, 180, 120)));
      g.fillRect(0, 0, 400, 300);
      g.setColor(new Color(250, 250, 240));
      g.fillOval(120, 80, 160, 140);
      g.dispose();
      try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
        c.drawImage(LosslessFactory.createFromImage(doc, picture), 100, 400, 300, 225);
      }
      return TestPdfs.save(doc);
    }
  }

  static Map<String, JsonNode> ledger(IngestRun run) throws Exception {
    List<JsonNode> lines = IngestRun.jsonLines(run.output.resolve("ledger"));
    Map<String, JsonNode> byFile = new HashMap<>();
    for (JsonNode line : lines) {
      String name = Path.of(line.get("source").asText()).getFileName().toString();
      assertThat(byFile.put(name, line)).as("one ledger line for %s", name).isNull();
    }
    return byFile;
  }

  @Test
  void everyFileEndsAsVectorsADeadLetterOrARecordThatSaysWhyNot() throws Exception {
    Map<String, String> files = corpus();
    IngestRun run = IngestRun.ingest(out, "--input=" + in + "/*", "--writeImages=false");
    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.count("files_seen")).as("the test's own count").isEqualTo(files.size());

    Map<String, JsonNode> ledger = ledger(run);
    assertThat(ledger.keySet()).as("exactly the files the test put in").isEqualTo(files.keySet());

    // the vectors each file has in the sink, counted from the sink itself
    Map<String, Long> inSink = run.vectors().stream().collect(Collectors.groupingBy(
        v -> Path.of(v.get("source").asText()).getFileName().toString(), Collectors.counting()));
    for (Map.Entry<String, JsonNode> e : ledger.entrySet()) {
      assertThat(e.getValue().get("vectors").asLong()).as("vectors of %s", e.getKey())
          .isEqualTo(inSink.getOrDefault(e.getKey(), 0L));
    }
    assertThat(ledger.get("manual.pdf").get("status").asText()).isEqualTo("indexed");
    assertThat(ledger.get("manual.pdf").get("pages").asInt()).isEqualTo(2);
    assertThat(ledger.get("manual.pdf").get("document_id").asText()).hasSize(64);
    assertThat(ledger.get("scan.pdf").get("status").asText()).isEqualTo("indexed");
    assertThat(ledger.get("scan.pdf").get("ocr_chunks").asInt()).isPositive();
    assertThat(ledger.get("photo-only.pdf").get("status").asText()).isEqualTo("no_searchable_content");
    assertThat(ledger.get("photo-only.pdf").get("reason").asText())
        .contains("no page has a text layer").contains("1 image has no text").contains("encodes text only");
    for (String failed : List.of("empty.pdf", "notes.pdf", "locked.pdf")) {
      assertThat(ledger.get(failed).get("status").asText()).as(failed).isEqualTo("failed");
      assertThat(ledger.get(failed).get("vectors").asLong()).isZero();
    }
    assertThat(ledger.get("empty.pdf").get("reason").asText()).startsWith("EMPTY_FILE");
    assertThat(ledger.get("notes.pdf").get("reason").asText()).startsWith("NOT_A_PDF");
    assertThat(ledger.get("locked.pdf").get("reason").asText()).startsWith("ENCRYPTED");
    assertThat(run.count("files_without_content")).isEqualTo(1);
    assertThat(run.count("files_failed")).isEqualTo(3);
    run.assertSummaryAgreesWithLedger();
  }

  @Test
  void withOcrOffAScanHasNoSearchableContentAndTheLedgerSaysWhy() throws Exception {
    Files.write(in.resolve("scan.pdf"), OcrFixtures.scannedPdf(100, "Some scanned text.", "More of it."));
    IngestRun run = IngestRun.ingest(out, "--input=" + in + "/*", "--writeImages=false", "--ocr=off");
    assertThat(run.exitCode).as(run.stderr).isZero();
    JsonNode scan = ledger(run).get("scan.pdf");
    assertThat(scan.get("status").asText()).isEqualTo("no_searchable_content");
    assertThat(scan.get("reason").asText()).contains("no page has a text layer and OCR is off (--ocr=off)");
    assertThat(scan.get("pages").asInt()).isEqualTo(2);
    assertThat(run.count("files_without_content")).isEqualTo(1);
  }
}

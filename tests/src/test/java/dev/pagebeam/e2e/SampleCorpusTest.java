package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.PDFStreamEngine;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped sample corpus has what the README promises, and the quick start's numbers hold. */
class SampleCorpusTest {
  @TempDir Path out;

  static List<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(Corpus.home().resolve("samples"))) {
      return files.filter(p -> p.toString().endsWith(".pdf")).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void defaultIngestProcessesEverySampleAndRendersEveryPage() throws Exception {
    IngestRun run = IngestRun.ingest(out, "--writeElements=true");
    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.count("files_ok")).isEqualTo(samples().size()).isEqualTo(5);
    assertThat(run.count("files_failed")).isZero();
    assertThat(run.count("page_images")).isEqualTo(run.count("pages")).isEqualTo(11);
    assertThat(run.count("pages_without_text")).isEqualTo(1);
    // the scanned page is read by OCR into text chunks of its own; its scan is the page, not a figure
    assertThat(run.count("ocr_pages")).isEqualTo(1);
    assertThat(run.count("text_chunks")).isGreaterThanOrEqualTo(11);
    assertThat(run.count("embedded_images")).isEqualTo(4);
    assertThat(run.elements()).filteredOn(e -> e.get("source").asText().endsWith("scanned-delivery-note.pdf")
        && e.get("type").asText().equals("text_chunk")).singleElement().satisfies(e -> {
          assertThat(e.get("text_source").asText()).isEqualTo("ocr");
          assertThat(e.get("ocr_confidence").asInt()).isGreaterThan(80);
          assertThat(e.get("text").asText()).contains("DELIVERY NOTE No. 77-1406").contains("Harbour Office");
        });
    // the screenshots and the photo's label are read; the logo has no text
    assertThat(run.count("ocr_images")).isEqualTo(4);
    assertThat(run.count("images_without_text")).isEqualTo(1);
    assertThat(run.elements()).filteredOn(e -> e.get("type").asText().equals("embedded_image")
        && e.get("source").asText().endsWith("lighthouse-sync-admin-guide.pdf")).singleElement()
        .satisfies(e -> assertThat(e.get("ocr_text").asText()).contains("Bandwidth cap (office hours)")
            .contains("keep-both"));
    // every image element has its file
    for (JsonNode e : run.elements()) {
      if (e.has("image_file")) {
        assertThat(out.resolve(e.get("image_file").asText())).isRegularFile();
      }
    }
  }

  @Test
  void samplesHoldAScreenshotAVectorDiagramAndAScannedPage() throws Exception {
    IngestRun run = IngestRun.ingest(out, "--writeImages=false", "--encode=false", "--writeElements=true",
        "--ocr=off");
    List<JsonNode> elements = run.elements();
    // a screenshot-like raster image on a text page
    assertThat(elements).anySatisfy(e -> {
      assertThat(e.get("source").asText()).endsWith("lighthouse-sync-admin-guide.pdf");
      assertThat(e.get("type").asText()).isEqualTo("embedded_image");
      assertThat(e.get("width").asInt()).isEqualTo(900);
    });
    // the scanned-like page: one big image, no text layer
    assertThat(elements).anySatisfy(e -> {
      assertThat(e.get("source").asText()).endsWith("scanned-delivery-note.pdf");
      assertThat(e.get("type").asText()).isEqualTo("page_image");
      assertThat(e.get("page_has_text").asBoolean()).isFalse();
    });
    assertThat(elements.stream().filter(e -> e.get("source").asText().endsWith("scanned-delivery-note.pdf")
        && e.get("type").asText().equals("text_chunk"))).isEmpty();
    // a vector diagram: many path operators on page 2 of the espresso guide
    Path espresso = Corpus.home().resolve("samples/espresso-field-guide.pdf");
    try (PDDocument doc = Loader.loadPDF(espresso.toFile())) {
      int[] paths = {0};
      PDFStreamEngine engine = new PDFStreamEngine() {
        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
          String op = operator.getName();
          if (op.equals("l") || op.equals("re") || op.equals("f") || op.equals("B") || op.equals("S")) {
            paths[0]++;
          }
          super.processOperator(operator, operands);
        }
      };
      engine.processPage(doc.getPage(1));
      assertThat(paths[0]).isGreaterThan(20);
    }
  }
}

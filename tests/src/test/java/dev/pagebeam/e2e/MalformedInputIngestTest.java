package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.transforms.split.TestPdfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad input, run through the real ingest command next to a good file: the run
 * finishes with exit 0, the bad file ends as a dead letter naming the file and the reason, the
 * ledger has one line for each of the two files, and SUMMARY says what the ledger says. (The JVM
 * heap is capped at 1 GB for this module.)
 */
class MalformedInputIngestTest {
  @TempDir Path in;
  @TempDir Path out;

  private static final String GOOD_TEXT = "A good page about harbour tide gauges and their drift. ".repeat(30);

  private IngestRun ingestWith(String badName, byte[] badBytes) throws Exception {
    TestPdfs.write(in, "good.pdf", TestPdfs.text(GOOD_TEXT));
    TestPdfs.write(in, badName, badBytes);
    IngestRun run = IngestRun.ingest(out, "--input=" + in + "/*", "--writeImages=false", "--encode=false",
        "--writeElements=true");
    assertThat(run.exitCode).as("stderr: %s", run.stderr).isZero();
    assertThat(run.count("files_seen")).isEqualTo(2);
    assertThat(run.assertSummaryAgreesWithLedger()).extracting(l -> Path.of(l.get("source").asText()).getFileName()
        .toString()).containsExactlyInAnyOrder("good.pdf", badName);
    assertThat(run.elements()).anySatisfy(e -> assertThat(e.get("source").asText()).endsWith("good.pdf"));
    return run;
  }

  private static JsonNode deadLetterFor(IngestRun run, String file) throws Exception {
    List<JsonNode> matching = run.deadLetters().stream()
        .filter(d -> d.get("file").asText().endsWith("/" + file)).collect(Collectors.toList());
    assertThat(matching).as("dead letters for %s", file).hasSize(1);
    return matching.get(0);
  }

  @Test
  void notAPdf() throws Exception {
    IngestRun run = ingestWith("notes.pdf", "quarterly notes, plain text\n".getBytes(StandardCharsets.UTF_8));
    JsonNode d = deadLetterFor(run, "notes.pdf");
    assertThat(d.get("error_kind").asText()).isEqualTo("NOT_A_PDF");
    assertThat(d.get("stage").asText()).isEqualTo("open");
    assertThat(d.get("message").asText()).contains("not a PDF");
    assertThat(run.count("files_failed")).isEqualTo(1);
  }

  @Test
  void truncated() throws Exception {
    byte[] pdf = TestPdfs.text(GOOD_TEXT);
    IngestRun run = ingestWith("truncated.pdf", Arrays.copyOf(pdf, 40));
    JsonNode d = deadLetterFor(run, "truncated.pdf");
    assertThat(d.get("error_kind").asText()).isIn("DAMAGED", "NO_PAGES");
    assertThat(d.get("message").asText()).isNotBlank();
    assertThat(run.count("files_failed")).isEqualTo(1);
  }

  @Test
  void encryptedWithoutPassword() throws Exception {
    IngestRun run = ingestWith("locked.pdf", TestPdfs.encrypted(TestPdfs.text("Salaries 2026.")));
    JsonNode d = deadLetterFor(run, "locked.pdf");
    assertThat(d.get("error_kind").asText()).isEqualTo("ENCRYPTED");
    assertThat(d.get("message").asText()).contains("password");
    assertThat(run.count("files_failed")).isEqualTo(1);
  }

  @Test
  void zeroBytes() throws Exception {
    IngestRun run = ingestWith("empty.pdf", new byte[0]);
    JsonNode d = deadLetterFor(run, "empty.pdf");
    assertThat(d.get("error_kind").asText()).isEqualTo("EMPTY_FILE");
    assertThat(run.count("files_failed")).isEqualTo(1);
  }

  @Test
  void brokenCrossReferenceTable() throws Exception {
    // PDFBox rebuilds the table by scanning the file: the document is processed as usual...
    IngestRun repaired = ingestWith("badxref.pdf",
        TestPdfs.brokenXref(TestPdfs.text("Page one of the repaired file.", "Page two of the repaired file.")));
    assertThat(repaired.count("files_failed")).isZero();
    assertThat(repaired.elements().stream().filter(e -> e.get("source").asText().endsWith("badxref.pdf")
        && e.get("type").asText().equals("page_image"))).hasSize(2);
    assertThat(repaired.deadLetters()).isEmpty();
  }

  @Test
  void brokenCrossReferenceTableAndNoRecoverableObjects(@TempDir Path out2) throws Exception {
    // ...unless there is nothing left to find: then it is one dead letter.
    byte[] pdf = TestPdfs.brokenXref(TestPdfs.text("Lost page."));
    String s = new String(pdf, StandardCharsets.ISO_8859_1).replace(" obj", " jbo").replace("endobj", "enddone");
    IngestRun run = ingestWith("hopeless.pdf", s.getBytes(StandardCharsets.ISO_8859_1));
    JsonNode d = deadLetterFor(run, "hopeless.pdf");
    assertThat(d.get("error_kind").asText()).isIn("DAMAGED", "NO_PAGES");
    assertThat(run.count("files_failed")).isEqualTo(1);
  }

  @Test
  void imageTooLargeToDecode() throws Exception {
    IngestRun run = ingestWith("poster.pdf", TestPdfs.hugeImage(20_000));
    assertThat(run.count("files_failed")).isZero();
    List<JsonNode> letters = run.deadLetters();
    assertThat(letters).hasSize(2).allSatisfy(d -> {
      assertThat(d.get("file").asText()).endsWith("poster.pdf");
      assertThat(d.get("error_kind").asText()).isEqualTo("TOO_LARGE");
      assertThat(d.get("element").asText()).contains("20000x20000");
      assertThat(d.get("page").asInt()).isEqualTo(1);
    });
    // the rest of the document: two thumbnails, both pages' text, the small image on page 2
    List<JsonNode> poster = run.elements().stream().filter(e -> e.get("source").asText().endsWith("poster.pdf"))
        .collect(Collectors.toList());
    assertThat(poster.stream().filter(e -> e.get("type").asText().equals("page_image"))).hasSize(2);
    assertThat(poster.stream().filter(e -> e.get("type").asText().equals("embedded_image"))).hasSize(1);
    assertThat(poster.stream().filter(e -> e.get("type").asText().equals("text_chunk"))).hasSize(2);
  }

  @Test
  void everyKindTogetherInOneRun() throws Exception {
    byte[] good = TestPdfs.text(GOOD_TEXT);
    TestPdfs.write(in, "good.pdf", good);
    TestPdfs.write(in, "notes.pdf", "plain text".getBytes(StandardCharsets.UTF_8));
    TestPdfs.write(in, "truncated.pdf", Arrays.copyOf(good, 40));
    TestPdfs.write(in, "locked.pdf", TestPdfs.encrypted(good));
    TestPdfs.write(in, "empty.pdf", new byte[0]);
    TestPdfs.write(in, "badxref.pdf", TestPdfs.brokenXref(good));
    TestPdfs.write(in, "poster.pdf", TestPdfs.hugeImage(20_000));
    // the full pipeline, encoder and sink included
    IngestRun run = IngestRun.ingest(out, "--input=" + in, "--writeImages=false");
    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.count("files_seen")).isEqualTo(7);
    assertThat(run.count("vectors_written")).isEqualTo(run.count("text_chunks")).isGreaterThan(0);
    assertThat(run.count("files_failed")).isEqualTo(4);
    assertThat(run.count("files_ok")).isEqualTo(3);
    assertThat(run.assertSummaryAgreesWithLedger()).hasSize(7);
    assertThat(run.deadLetters().stream().filter(d -> !d.has("element")).map(d -> d.get("file").asText()
        .replaceAll(".*/", "")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("notes.pdf", "truncated.pdf", "locked.pdf", "empty.pdf");
    assertThat(Files.list(out.resolve("dead-letters")).count()).isGreaterThan(0);
  }
}

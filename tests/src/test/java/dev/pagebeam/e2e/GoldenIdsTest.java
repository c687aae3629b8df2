package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ids of the sample corpus's elements are the pinned ones (tests/src/test/resources/golden,
 * made once by scripts/fixtures/make-golden-ids.sh): a change to how ids are derived, or to anything
 * that shapes an element, shows here. (The vectors are pinned by TextModelFixtureTest against
 * references computed in Python.)
 */
class GoldenIdsTest {
  @TempDir Path out;

  @Test
  void theSampleCorpusSplitsIntoThePinnedIds() throws Exception {
    IngestRun run = IngestRun.ingest(out, "--encode=false", "--writeElements=true", "--writeImages=false");
    assertThat(run.exitCode).as(run.stderr).isZero();
    List<String> rows = new ArrayList<>();
    for (JsonNode e : run.elements()) {
      rows.add(String.join("\t", Path.of(e.get("source").asText()).getFileName().toString(), e.get("type").asText(),
          e.get("page").asText(), e.has("text_source") ? e.get("text_source").asText() : "", e.get("id").asText()));
    }
    rows.sort(null);
    String golden;
    try (InputStream in = getClass().getResourceAsStream("/golden/sample-ids.tsv")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(rows).hasSizeGreaterThan(20).isEqualTo(List.of(golden.strip().split("\n")));
  }

  /**
   * The ids, computed here from their documented definitions with the JDK's own SHA-256 (not with
   * pagebeam's code): document_id is the SHA-256 of the file's bytes; a page thumbnail's id is the
   * first 16 bytes of SHA-256("page_image|DOCUMENT_ID|PAGE|side=224"); a chunk's content_hash is
   * the SHA-256 of its text.
   */
  @Test
  void idsAreTheDocumentedHashesOfTheFilesAndPositions() throws Exception {
    IngestRun run = IngestRun.ingest(out, "--encode=false", "--writeElements=true", "--writeImages=false");
    assertThat(run.exitCode).as(run.stderr).isZero();
    List<JsonNode> elements = run.elements();
    assertThat(elements).hasSizeGreaterThan(20);
    int thumbnails = 0;
    for (JsonNode e : elements) {
      String documentId = sha256(Files.readAllBytes(Path.of(e.get("source").asText())));
      assertThat(e.get("document_id").asText()).as("%s", e.get("source")).isEqualTo(documentId);
      switch (e.get("type").asText()) {
        case "page_image":
          thumbnails++;
          String key = "page_image|" + documentId + "|" + e.get("page").asInt() + "|side=224";
          assertThat(e.get("id").asText()).isEqualTo(sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 32));
          break;
        case "text_chunk":
          assertThat(e.get("content_hash").asText())
              .isEqualTo(sha256(e.get("text").asText().getBytes(StandardCharsets.UTF_8)));
          break;
        default:
          break;
      }
    }
    assertThat(thumbnails).isEqualTo((int) run.count("pages"));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}

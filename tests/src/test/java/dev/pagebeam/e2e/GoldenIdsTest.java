package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
}

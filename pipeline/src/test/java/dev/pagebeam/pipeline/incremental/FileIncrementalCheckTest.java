package dev.pagebeam.pipeline.incremental;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.pipeline.BlockingDirectRunner;
import dev.pagebeam.io.store.ManifestEntry;
import dev.pagebeam.pipeline.output.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The file sink's manifest check sorts every file and every previous entry right, however many of
 * them share a shuffle key: one key holds an unchanged, a changed, a new and a removed document,
 * and a file matched twice is checked once.
 */
class FileIncrementalCheckTest {
  @RegisterExtension
  static final TestPipelineExtension PIPELINE = BlockingDirectRunner.extension();

  @TempDir Path dir;

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String manifestLine(String source, String documentId, String settings, long vectors) {
    return Json.write(Json.MAPPER.createObjectNode().put("source", source).put("document_id", documentId)
        .put("settings", settings).put("vectors", vectors));
  }

  private Path file(Path input, String name, String content) throws IOException {
    return Files.writeString(input.resolve(name), content);
  }

  @ParameterizedTest(name = "{0} keys, prune {1}")
  @CsvSource({"1, false", "1, true", "3, true", "64, false"})
  void everyDocumentEndsOnTheRightSideWhateverItsKeyShares(int keys, boolean prune, TestPipeline p)
      throws Exception {
    Path input = Files.createDirectories(dir.resolve("input"));
    Path sink = dir.resolve("sink");
    Path unchanged = file(input, "unchanged.pdf", "same bytes as last time");
    Path changed = file(input, "changed.pdf", "new bytes");
    Path added = file(input, "added.pdf", "never seen");
    String gone = input.resolve("gone.pdf").toString();
    String sameHash = sha256(Files.readAllBytes(unchanged));
    Path manifest = Files.createDirectories(sink.resolve(FileIncremental.STASH).resolve("manifest"));
    Files.write(manifest.resolve("manifest-00000-of-00001.jsonl"), List.of(
        manifestLine(unchanged.toString(), sameHash, "fp", 4),
        manifestLine(changed.toString(), sha256("old bytes".getBytes(StandardCharsets.UTF_8)), "fp", 7),
        manifestLine(gone, "e".repeat(64), "fp", 3)));

    // overlapping patterns match two of the files twice: each is still checked once
    PCollection<MatchResult.Metadata> files = p.apply(Create.of(input + "/*.pdf", unchanged.toString(),
        changed.toString())).apply(FileIO.matchAll());
    FileIncremental.Checked checked = FileIncremental.check(p.begin(), files, sink.toString(), true, "fp", prune, 30,
        keys);

    PAssert.that(checked.toSplit.apply("SplitNames", MapElements.into(TypeDescriptors.strings())
        .via((MatchResult.Metadata m) -> m.resourceId().getFilename())))
        .containsInAnyOrder("changed.pdf", "added.pdf");
    List<String> kept = new ArrayList<>(List.of(unchanged.toString()));
    List<String> dropped = new ArrayList<>(List.of(changed.toString()));
    List<String> lines = new ArrayList<>(List.of(unchanged + " unchanged " + sameHash + " 4"));
    if (prune) {
      dropped.add(gone);
      lines.add(gone + " removed " + "e".repeat(64) + " 0");
    } else {
      kept.add(gone);
    }
    PAssert.that(checked.kept.apply("KeptSources", MapElements.into(TypeDescriptors.strings())
        .via(ManifestEntry::source))).containsInAnyOrder(kept);
    PAssert.that(checked.dropped).containsInAnyOrder(dropped);
    PAssert.that(checked.ledgerLines.apply("LineFields", MapElements.into(TypeDescriptors.strings())
        .via(FileIncrementalCheckTest::fields))).containsInAnyOrder(lines);
    p.run().waitUntilFinish();
  }

  private static String fields(String line) {
    try {
      JsonNode n = Json.MAPPER.readTree(line);
      return n.get("source").asText() + " " + n.get("status").asText() + " " + n.get("document_id").asText() + " "
          + n.get("vectors").asLong();
    } catch (IOException e) {
      throw new IllegalStateException(line, e);
    }
  }
}

package dev.pagebeam.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.pipeline.BlockingDirectRunner;
import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.split.DocumentReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ledger sums every fact of a file into its one line, however many files share a shuffle key. */
class WriteLedgerTest {
  @RegisterExtension
  static final TestPipelineExtension PIPELINE = BlockingDirectRunner.extension();

  @TempDir Path dir;

  private static DocumentReport report(String source, boolean fileReport, int pages, String failure) {
    return new DocumentReport(source, failure == null ? source.replace('/', 'x') : null, fileReport, pages, 0, 0, 0,
        10, failure);
  }

  @ParameterizedTest(name = "{0} keys")
  @ValueSource(ints = {1, 3, 64})
  void everyFileGetsOneLineWithTheSumOfItsFacts(int keys, TestPipeline p) throws Exception {
    List<DocumentReport> reports = new ArrayList<>();
    Map<String, Integer> expectedPages = new TreeMap<>();
    for (int f = 0; f < 20; f++) {
      String source = "/corpus/doc-" + f + ".pdf";
      // a long document reports its first pages with the file and the rest as page ranges
      reports.add(report(source, true, 3, null));
      for (int range = 0; range < f % 4; range++) {
        reports.add(report(source, false, 5, null));
      }
      expectedPages.put(source, 3 + 5 * (f % 4));
    }
    reports.add(report("/corpus/broken.pdf", true, 0, "not a PDF"));
    expectedPages.put("/corpus/broken.pdf", 0);
    List<DeadLetter> deadLetters = List.of(
        DeadLetter.forFile("/corpus/broken.pdf", null, DeadLetter.STAGE_OPEN, ErrorKind.NOT_A_PDF, "not a PDF"),
        DeadLetter.forFile("/corpus/doc-7.pdf", "x", DeadLetter.STAGE_RENDER, ErrorKind.RENDER_FAILED, "one page"));

    PCollectionTuple in = PCollectionTuple
        .of(WriteLedger.REPORTS, p.apply("Reports", Create.of(reports).withCoder(DocumentReport.CODER)))
        .and(WriteLedger.ELEMENTS, p.apply("Elements", Create.empty(PdfElement.ElementCoder.of())))
        .and(WriteLedger.DEAD_LETTERS, p.apply("DeadLetters", Create.of(deadLetters).withCoder(DeadLetter.CODER)));
    in.apply(new WriteLedger(dir.toString(), new WriteLedger.Run(false, false, "m", "auto"), null, keys));
    p.run().waitUntilFinish();

    Map<String, JsonNode> lines = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("ledger"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(file)) {
          JsonNode n = Json.MAPPER.readTree(line);
          assertThat(lines.put(n.get("source").asText(), n)).as("a second line for %s", line).isNull();
        }
      }
    }
    assertThat(lines.keySet()).containsExactlyElementsOf(expectedPages.keySet());
    expectedPages.forEach((source, pages) -> assertThat(lines.get(source).get("pages").asInt()).as(source)
        .isEqualTo(pages));
    assertThat(lines.get("/corpus/broken.pdf").get("status").asText()).isEqualTo(WriteLedger.FAILED);
    assertThat(lines.get("/corpus/doc-7.pdf").get("dead_letters").asInt()).isEqualTo(1);
    assertThat(lines.get("/corpus/doc-8.pdf").get("dead_letters").asInt()).isZero();
    assertThat(lines.get("/corpus/doc-8.pdf").get("status").asText()).isEqualTo(WriteLedger.NOT_ENCODED);
  }

  /**
   * A runner that combines before the shuffle (Flink) sums a key's facts in several accumulators,
   * encodes them and merges them: the merged sums equal those of one accumulator.
   */
  @Test
  void accumulatorsMergedAfterTheirCoderSumLikeOne() throws Exception {
    WriteLedger.SumPerFile fn = new WriteLedger.SumPerFile();
    Coder<Map<String, WriteLedger.Counts>> coder = fn.getAccumulatorCoder(CoderRegistry.createDefault(),
        WriteLedger.FACT_CODER);
    List<KV<String, WriteLedger.Counts>> facts = new ArrayList<>();
    for (int f = 0; f < 5; f++) {
      String source = "/corpus/doc-" + f + ".pdf";
      facts.add(WriteLedger.Counts.of(report(source, true, 2, null)));
      for (int range = 0; range < f; range++) {
        facts.add(WriteLedger.Counts.of(report(source, false, 7, f == 3 ? "range " + range + " failed" : null)));
      }
    }
    Map<String, WriteLedger.Counts> one = fn.createAccumulator();
    List<Map<String, WriteLedger.Counts>> parts = List.of(fn.createAccumulator(), fn.createAccumulator(),
        fn.createAccumulator());
    for (int i = 0; i < facts.size(); i++) {
      one = fn.addInput(one, facts.get(i));
      fn.addInput(parts.get(i % 3), facts.get(i));
    }
    List<Map<String, WriteLedger.Counts>> decoded = new ArrayList<>();
    for (Map<String, WriteLedger.Counts> part : parts) {
      decoded.add(CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, part)));
    }
    Map<String, WriteLedger.Counts> merged = fn.extractOutput(fn.mergeAccumulators(decoded));

    assertThat(merged.keySet()).isEqualTo(one.keySet()).hasSize(5);
    for (String source : one.keySet()) {
      assertThat(merged.get(source).n).as(source).containsExactly(one.get(source).n);
      assertThat(merged.get(source).failure).as(source).isEqualTo(one.get(source).failure);
      assertThat(merged.get(source).documentId).as(source).isEqualTo(one.get(source).documentId);
    }
    assertThat(merged.get("/corpus/doc-4.pdf").n[WriteLedger.Counts.PAGES]).isEqualTo(2 + 4 * 7);
    // the smallest failure of the file's ranges, whatever the order the reports came in
    assertThat(merged.get("/corpus/doc-3.pdf").failure).isEqualTo("range 0 failed");
  }
}

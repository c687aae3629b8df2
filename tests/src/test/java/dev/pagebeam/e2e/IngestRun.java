package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.pipeline.cli.PagebeamCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Runs {@code pagebeam ingest} in-process and reads back what it wrote. */
final class IngestRun {
  static final ObjectMapper JSON = new ObjectMapper();

  final int exitCode;
  final String stdout;
  final String stderr;
  final JsonNode summary;
  final Path output;

  private IngestRun(int exitCode, String stdout, String stderr, JsonNode summary, Path output) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.summary = summary;
    this.output = output;
  }

  static IngestRun ingest(Path output, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("ingest", "--output=" + output));
    all.addAll(List.of(args));
    return command(output, all.toArray(new String[0]));
  }

  /** Any pagebeam command, in-process. */
  static IngestRun command(Path output, String... all) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = PagebeamCli.run(all, o, e);
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    JsonNode summary = null;
    for (String line : stdout.split("\n")) {
      if (line.startsWith("SUMMARY ")) {
        summary = JSON.readTree(line.substring("SUMMARY ".length()));
      }
    }
    return new IngestRun(code, stdout, err.toString(StandardCharsets.UTF_8), summary, output);
  }

  long count(String key) {
    assertThat(summary).as("SUMMARY line in: %s / %s", stdout, stderr).isNotNull();
    assertThat(summary.has(key)).as("SUMMARY has %s", key).isTrue();
    return summary.get(key).asLong();
  }

  List<JsonNode> elements() throws IOException {
    return jsonLines(output.resolve("elements"));
  }

  List<JsonNode> deadLetters() throws IOException {
    return jsonLines(output.resolve("dead-letters"));
  }

  List<JsonNode> vectors() throws IOException {
    return jsonLines(output.resolve("vectors"));
  }

  List<JsonNode> ledger() throws IOException {
    return jsonLines(output.resolve("ledger"));
  }

  /**
   * SUMMARY's figures against the same figures summed from the ledger's lines, which are made by
   * another route (a per-file combine of the split's reports, the elements and the records sent to
   * the sink; files_seen is counted where files are matched): a file lost or counted twice on
   * either route shows here. Returns the ledger for further checks.
   */
  List<JsonNode> assertSummaryAgreesWithLedger() throws IOException {
    List<JsonNode> ledger = ledger();
    java.util.Map<String, Long> byStatus = new java.util.HashMap<>();
    long pages = 0;
    long chunks = 0;
    long ocrPages = 0;
    long ocrSkipped = 0;
    long vectors = 0;
    for (JsonNode line : ledger) {
      byStatus.merge(line.get("status").asText(), 1L, Long::sum);
      pages += line.path("pages").asLong();
      chunks += line.path("text_chunks").asLong();
      ocrPages += line.path("ocr_pages").asLong();
      ocrSkipped += line.path("ocr_skipped_pages").asLong();
      // an unchanged document's line gives the vectors it kept from an earlier run
      vectors += line.get("status").asText().equals("unchanged") ? 0 : line.path("vectors").asLong();
    }
    long skipped = byStatus.getOrDefault("unchanged", 0L);
    long removed = byStatus.getOrDefault("removed", 0L);
    assertThat(count("files_seen")).as("files_seen vs ledger lines").isEqualTo(ledger.size() - removed);
    assertThat(count("documents_skipped")).as("documents_skipped vs 'unchanged' lines").isEqualTo(skipped);
    assertThat(count("files_ok")).as("files_ok vs 'indexed' and 'not_encoded' lines")
        .isEqualTo(byStatus.getOrDefault("indexed", 0L) + byStatus.getOrDefault("not_encoded", 0L));
    assertThat(count("files_failed")).as("files_failed vs 'failed' lines").isEqualTo(byStatus.getOrDefault("failed", 0L));
    assertThat(count("files_without_content")).as("files_without_content vs 'no_searchable_content' lines")
        .isEqualTo(byStatus.getOrDefault("no_searchable_content", 0L));
    assertThat(count("pages")).as("pages vs the ledger's").isEqualTo(pages);
    assertThat(count("text_chunks")).as("text_chunks vs the ledger's").isEqualTo(chunks);
    assertThat(count("ocr_pages")).as("ocr_pages vs the ledger's").isEqualTo(ocrPages);
    assertThat(count("ocr_skipped_pages")).as("ocr_skipped_pages vs the ledger's").isEqualTo(ocrSkipped);
    assertThat(count("vectors_written")).as("vectors_written vs the ledger's").isEqualTo(vectors);
    return ledger;
  }

  static List<JsonNode> jsonLines(Path dir) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return nodes;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jsonl")).sorted()::iterator) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            nodes.add(JSON.readTree(line));
          }
        }
      }
    }
    return nodes;
  }
}

package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.pipeline.PagebeamCli;
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

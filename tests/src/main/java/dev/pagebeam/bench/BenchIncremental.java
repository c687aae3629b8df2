package dev.pagebeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.pipeline.cli.PagebeamCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code bin/pagebeam bench-incremental}: the nightly rerun over an unchanged corpus against the full
 * ingest it follows, side by side in one run: the same input, the same sink, first into a new
 * collection (everything parsed, encoded and written), then again (every file hashed and looked up
 * in the manifest, none parsed).
 */
public final class BenchIncremental {
  private BenchIncremental() {}

  static final String USAGE = "usage: bin/pagebeam bench-incremental [--input=FILE,FILE...] [--sink=chroma|milvus]"
      + " [--chroma=HOST:PORT] [--milvus=HOST:PORT]\n  full ingest vs the incremental rerun over the unchanged"
      + " corpus; servers default to $CHROMA and $MILVUS; see docs/BENCHMARKS.md";

  public static void main(String[] args) throws Exception {
    BenchArgs.main("bench-incremental", USAGE, args, Set.of("input", "sink", "chroma", "milvus"), a -> {
      List<String> input = BenchIngest.input(a);
      String[] server = a.server();
      String kind = server[0];
      String address = server[1];
      String sink = kind + "://" + address + "/bench_incremental_" + UUID.randomUUID().toString().substring(0, 8);
      Path work = Files.createTempDirectory("pagebeam-bench-incremental");
      System.out.printf("bench-incremental: %d files into %s%n", input.size(), sink);
      JsonNode full = ingest(work.resolve("full"), String.join(",", input), sink);
      JsonNode again = ingest(work.resolve("again"), String.join(",", input), sink);
      double fullSeconds = full.get("wall_seconds").asDouble();
      double againSeconds = again.get("wall_seconds").asDouble();
      System.out.printf("%-28s %8s %8s %9s %14s %9s %12s%n", "run", "pages", "vectors", "skipped", "command (s)",
          "pipeline (s)", "pages/s");
      print("full ingest (new collection)", full);
      print("incremental, unchanged", again);
      long pages = full.get("pages").asLong();
      System.out.printf("incremental / full, command time: %.3f (target <= 0.10); the unchanged rerun covers %d pages"
          + " at %.0f pages/s%n", againSeconds / fullSeconds, pages, pages / againSeconds);
    });
  }

  private static void print(String name, JsonNode s) {
    double seconds = s.get("wall_seconds").asDouble();
    System.out.printf("%-28s %8d %8d %9d %14.1f %9.1f %12.1f%n", name, s.get("pages").asLong(),
        s.get("vectors_written").asLong(), s.get("documents_skipped").asLong(), seconds,
        s.get("seconds").asDouble(), s.get("pages").asLong() / seconds);
  }

  /**
   * One ingest in this JVM; its SUMMARY plus {@code wall_seconds}, the whole command's time: the
   * checks before the pipeline (model load, sink guard, input count) and the pipeline.
   */
  private static JsonNode ingest(Path output, String input, String sink) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    long started = System.nanoTime();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = PagebeamCli.run(new String[] {"ingest", "--input=" + input, "--sink=" + sink, "--output=" + output,
          "--writeImages=false", "--lockDir=" + output.resolveSibling("locks")}, o, e);
    }
    if (code != 0) {
      throw new IllegalStateException("ingest exited " + code + ": " + err.toString(StandardCharsets.UTF_8));
    }
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("SUMMARY ")) {
        com.fasterxml.jackson.databind.node.ObjectNode summary =
            (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(line.substring(8));
        return summary.put("wall_seconds", (System.nanoTime() - started) / 1e9);
      }
    }
    throw new IllegalStateException("no SUMMARY line in: " + out.toString(StandardCharsets.UTF_8));
  }
}

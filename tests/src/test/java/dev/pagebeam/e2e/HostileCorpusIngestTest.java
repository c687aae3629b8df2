package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.samples.HostileCorpus;
import dev.pagebeam.transforms.split.TestPdfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing stops a run: the hostile corpus ({@link HostileCorpus}: content streams that draw each
 * other in a cycle, deep nesting, broken and looping xrefs and page trees, images and fonts that do
 * not decode, decompression bombs...) through the real ingest command, encoder and file sink
 * included. The run exits 0, every file has exactly one ledger line, every failed file says why, and
 * no file's split takes longer than the time limit (plus the grace a task gets to stop).
 */
class HostileCorpusIngestTest {
  /** Low, so that the decompression bomb (about 10 s of PDFBox's time) runs into it. */
  private static final int LIMIT = 5;
  /** FileTaskRunner.GRACE_MILLIS, and a little for the last page's work after the limit. */
  private static final double GRACE = 10 + 2;

  @TempDir Path in;
  @TempDir Path out;
  private Path fifo;

  @AfterEach
  void releaseTheReadersOfTheFifo() throws Exception {
    if (fifo != null && Files.exists(fifo)) {
      // opening it for writing (read-write: that never blocks) lets the abandoned readers through to
      // the end of the file, and they finish
      Process p = new ProcessBuilder("sh", "-c", "exec 3<>'" + fifo + "'; exec 3>&-").start();
      p.waitFor();
      Files.delete(fifo);
    }
  }

  @Test
  void oneRunOverTheHostileCorpusEndsWithALedgerLineForEveryFileAndExitZero() throws Exception {
    List<HostileCorpus.Entry> corpus = HostileCorpus.all();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);
    HostileCorpus.write(in);

    // element lines make the split render every page's thumbnail (a text model alone does not), so
    // the rendering stage meets the hostile files too: the pattern cycle fails there
    IngestRun run = IngestRun.ingest(out, "--input=" + in, "--writeImages=false", "--writeElements=true",
        "--fileTimeoutSeconds=" + LIMIT);
    assertThat(run.exitCode).as(run.stderr).isZero();
    Map<String, JsonNode> ledger = byFile(run.assertSummaryAgreesWithLedger());
    assertThat(ledger.keySet()).as("exactly one ledger line per input file")
        .isEqualTo(corpus.stream().map(HostileCorpus.Entry::fileName).collect(Collectors.toSet()));

    for (Map.Entry<String, JsonNode> e : ledger.entrySet()) {
      JsonNode line = e.getValue();
      assertThat(line.get("split_seconds").asDouble()).as("split time of %s", e.getKey())
          .isLessThanOrEqualTo(LIMIT + GRACE);
      if (line.get("status").asText().equals("failed")) {
        assertThat(line.path("reason").asText()).as("why %s failed", e.getKey()).isNotBlank();
      }
      if (e.getKey().contains("-good-")) {
        assertThat(line.get("status").asText()).as(e.getKey()).isEqualTo("indexed");
        assertThat(line.has("reason")).as("%s has no loss: %s", e.getKey(), line).isFalse();
      }
    }
    // the file that once ended a whole run with a StackOverflowError
    JsonNode cycle = line(ledger, "type3-pattern-cycle");
    assertThat(cycle.get("status").asText()).isIn("failed", "indexed");
    assertThat(cycle.get("reason").asText()).contains("RECURSION").contains("recursed");
    // a page tree that claims a million pages is read for the one it has, not planned as 15,625 tasks
    JsonNode million = line(ledger, "pages-count-million");
    assertThat(million.get("pages").asInt()).isEqualTo(1);
    assertThat(million.get("reason").asText()).contains("claims 1000000 pages");
    // the decompression bomb is stopped at the limit, with the pages not done named
    assertThat(run.deadLetters()).anySatisfy(d -> {
      assertThat(d.get("file").asText()).contains("bomb");
      assertThat(d.get("error_kind").asText()).isEqualTo("TIMEOUT");
    });
  }

  // in its own thread: a time limit that does not hold leaves the run blocked in native code, where
  // an interrupt cannot reach it, and the test fails here instead of holding the suite until CI ends
  @Test
  @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFileWhoseReadNeverReturnsEndsAsATimeoutAndTheRunCompletes() throws Exception {
    TestPdfs.write(in, "good.pdf", TestPdfs.text("Harbour tide gauges drift when their stilling wells silt up."));
    TestPdfs.write(in, "stuck.pdf", TestPdfs.text("This file will later hang every read, like a dead network mount."));
    // named one by one: a directory's listing leaves out what is not a regular file
    String input = "--input=" + in.resolve("good.pdf") + "," + in.resolve("stuck.pdf");
    IngestRun first = IngestRun.ingest(out, input, "--writeImages=false", "--fileTimeoutSeconds=3");
    assertThat(first.exitCode).as(first.stderr).isZero();

    // the same path, now a FIFO nobody writes to: open() blocks forever, in native code
    Files.delete(in.resolve("stuck.pdf"));
    fifo = in.resolve("stuck.pdf");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    long start = System.nanoTime();
    IngestRun second = IngestRun.ingest(out, input, "--writeImages=false", "--fileTimeoutSeconds=3");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(second.exitCode).as(second.stderr).isZero();
    Map<String, JsonNode> ledger = byFile(second.assertSummaryAgreesWithLedger());
    assertThat(ledger).containsOnlyKeys("good.pdf", "stuck.pdf");
    assertThat(ledger.get("good.pdf").get("status").asText()).isEqualTo("unchanged");
    assertThat(ledger.get("stuck.pdf").get("status").asText()).isEqualTo("failed");
    assertThat(ledger.get("stuck.pdf").get("reason").asText()).startsWith("TIMEOUT").contains("did not stop");
    // the manifest's hash read (3 s) and the split (3 s, then 10 s of grace) gave up on it
    assertThat(seconds).as("the run's time").isLessThan(3 + 3 + GRACE + 30);
  }

  private static JsonNode line(Map<String, JsonNode> ledger, String name) {
    return ledger.entrySet().stream().filter(e -> e.getKey().contains(name)).map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("no ledger line for " + name));
  }

  private static Map<String, JsonNode> byFile(List<JsonNode> ledger) {
    assertThat(ledger.stream().map(l -> l.get("source").asText()).collect(Collectors.toList()))
        .as("no file twice").doesNotHaveDuplicates();
    return ledger.stream().collect(Collectors.toMap(l -> Path.of(l.get("source").asText()).getFileName().toString(),
        Function.identity()));
  }
}

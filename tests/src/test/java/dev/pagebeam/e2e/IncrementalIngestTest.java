package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.io.TestServers;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.transforms.split.TestPdfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental ingest on the real Chroma and Milvus servers: a nightly rerun after one document
 * changed, one was added and one deleted makes exactly those changes, and the collection then holds
 * exactly what a fresh ingest of the same folder gives (no orphans, nothing missing); and two runs on
 * one collection never overlap.
 */
class IncrementalIngestTest {
  @TempDir Path out;

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void aRerunMakesExactlyTheChangesOfTheInput(String kind) throws Exception {
    Path input = Files.createDirectories(out.resolve("input"));
    try (Stream<Path> samples = Files.list(Corpus.home().resolve("samples"))) {
      for (Path pdf : samples.filter(p -> p.toString().endsWith(".pdf")).collect(Collectors.toList())) {
        Files.copy(pdf, input.resolve(pdf.getFileName()));
      }
    }
    String collection = TestServers.uniqueCollection("incr");
    String sink = kind + "://" + TestServers.address(kind.toUpperCase()) + "/" + collection;
    String[] args = {"--input=" + input, "--sink=" + sink, "--writeImages=false"};

    IngestRun first = IngestRun.ingest(out.resolve("first"), args);
    assertThat(first.exitCode).as(first.stderr).isZero();
    assertThat(first.count("documents_added")).isEqualTo(5);
    assertThat(first.count("documents_skipped")).isZero();

    // one changed, one added, one deleted
    Files.write(input.resolve("tide-gauge-research-note.pdf"),
        TestPdfs.text("Tide gauge note, second edition: the gauge at Pier 7 was recalibrated on 3 March."));
    Files.write(input.resolve("pump-station-log.pdf"),
        TestPdfs.text("Pump station 12 log: the intake filter was replaced after the pressure alarm."));
    Files.delete(input.resolve("espresso-field-guide.pdf"));

    IngestRun second = IngestRun.ingest(out.resolve("second"), append(args, "--prune=true"));
    assertThat(second.exitCode).as(second.stderr).isZero();
    assertThat(second.count("documents_skipped")).as("unchanged documents").isEqualTo(3);
    assertThat(second.count("documents_updated")).isEqualTo(1);
    assertThat(second.count("documents_added")).isEqualTo(1);
    assertThat(second.count("documents_removed")).isEqualTo(1);
    assertThat(second.count("files_seen")).isEqualTo(5);
    Map<String, String> status = IngestRun.jsonLines(out.resolve("second/ledger")).stream().collect(
        Collectors.toMap(l -> Path.of(l.get("source").asText()).getFileName().toString(),
            l -> l.get("status").asText()));
    assertThat(status).containsEntry("tide-gauge-research-note.pdf", "indexed")
        .containsEntry("pump-station-log.pdf", "indexed")
        .containsEntry("espresso-field-guide.pdf", "removed")
        .containsEntry("lighthouse-sync-admin-guide.pdf", "unchanged")
        .containsEntry("ticket-4821-export-hangs.pdf", "unchanged")
        .containsEntry("scanned-delivery-note.pdf", "unchanged")
        .hasSize(6);
    second.assertSummaryAgreesWithLedger();

    // what the collection must hold: what a fresh, full ingest of the same folder writes elsewhere
    String freshCollection = TestServers.uniqueCollection("fresh");
    IngestRun fresh = IngestRun.ingest(out.resolve("fresh"), "--input=" + input, "--writeImages=false",
        "--sink=" + kind + "://" + TestServers.address(kind.toUpperCase()) + "/" + freshCollection,
        "--writeElements=true");
    assertThat(fresh.exitCode).as(fresh.stderr).isZero();
    Set<String> expected = fresh.elements().stream()
        .filter(e -> e.get("type").asText().equals("text_chunk") || e.has("text"))
        .map(e -> e.get("id").asText()).collect(Collectors.toSet());
    assertThat(expected).hasSize((int) fresh.count("vectors_written"));
    StoreConnector connector = TestServers.connector(kind, collection);
    try (VectorStore store = connector.open()) {
      assertThat(store.existing(expected)).as("every record of the current input").isEqualTo(expected);
      assertThat(store.count()).as("and nothing else: no orphans of the changed or deleted documents")
          .isEqualTo(expected.size());
    }

    // a third run has nothing to do
    IngestRun third = IngestRun.ingest(out.resolve("third"), append(args, "--prune=true"));
    assertThat(third.exitCode).as(third.stderr).isZero();
    assertThat(third.count("documents_skipped")).isEqualTo(5);
    assertThat(third.count("vectors_written")).isZero();
    assertThat(third.count("pages")).as("nothing parsed").isZero();

    // --full re-ingests all, and still leaves exactly the same records
    IngestRun full = IngestRun.ingest(out.resolve("full"), append(args, "--full=true"));
    assertThat(full.exitCode).as(full.stderr).isZero();
    assertThat(full.count("documents_skipped")).isZero();
    assertThat(full.count("vectors_written")).isEqualTo(expected.size());
    try (VectorStore store = connector.open()) {
      assertThat(store.count()).isEqualTo(expected.size());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void aRunKilledMidwayAndRunAgainEndsWithExactlyTheRightRecords(String kind) throws Exception {
    String collection = TestServers.uniqueCollection("sigkill");
    String sink = kind + "://" + TestServers.address(kind.toUpperCase()) + "/" + collection;
    String input = Corpus.file("R-data.pdf") + "," + Corpus.file("R-FAQ.pdf");
    Path locks = Files.createDirectories(out.resolve("locks"));
    String[] args = {"--input=" + input, "--sink=" + sink, "--writeImages=false", "--sinkBatchSize=16",
        "--lockDir=" + locks};
    // the first run in a process of its own, SIGKILLed once the server holds some of its records
    List<String> command = new java.util.ArrayList<>(Launcher.command("ingest", "--output=" + out.resolve("killed")));
    command.addAll(List.of(args));
    Process killed = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.resolve("killed.log").toFile()).start();
    StoreConnector connector = TestServers.connector(kind, collection);
    long held = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    VectorStore watcher = null;
    while (held == 0 && killed.isAlive() && System.nanoTime() < deadline) {
      try {
        watcher = watcher == null ? connector.open() : watcher;
        held = watcher.count();
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    assertThat(killed.isAlive()).as("the run is still writing when it is killed").isTrue();
    killed.destroyForcibly().waitFor();
    long afterKill = watcher.count();
    watcher.close();
    System.out.printf("%s: killed the run when the server held %d records, %d after the kill%n", kind, held,
        afterKill);
    IngestRun again = IngestRun.ingest(out.resolve("again"), append(args, "--writeElements=true"));
    assertThat(again.exitCode).as(again.stderr).isZero();
    Set<String> expected = again.elements().stream()
        .filter(e -> e.get("type").asText().equals("text_chunk") || e.has("text"))
        .map(e -> e.get("id").asText()).collect(Collectors.toSet());
    assertThat(expected).isNotEmpty().hasSize((int) again.count("vectors_written"));
    try (VectorStore store = connector.open()) {
      assertThat(store.existing(expected)).isEqualTo(expected);
      assertThat(store.count()).as("exactly the input's records").isEqualTo(expected.size());
    }
  }

  /**
   * The file sink keeps a manifest too: a rerun copies the vector lines of unchanged documents as
   * they are, re-ingests the changed one, and leaves the deleted one behind with its image files
   * (--prune); without --prune a deleted document stays. A run that died after moving the previous
   * shards aside is redone from them, with no line twice.
   */
  @Test
  void aFileSinkRerunMakesExactlyTheChangesOfTheInput() throws Exception {
    Path input = Files.createDirectories(out.resolve("input"));
    try (Stream<Path> samples = Files.list(Corpus.home().resolve("samples"))) {
      for (Path pdf : samples.filter(p -> p.toString().endsWith(".pdf")).collect(Collectors.toList())) {
        Files.copy(pdf, input.resolve(pdf.getFileName()));
      }
    }
    Path sink = out.resolve("sink");
    IngestRun first = IngestRun.ingest(sink, "--input=" + input);
    assertThat(first.exitCode).as(first.stderr).isZero();
    assertThat(first.count("documents_added")).isEqualTo(5);
    Map<String, String> firstLines = lines(sink);
    assertThat(firstLines).hasSize((int) first.count("vectors_written"));
    List<Path> espressoImages = images(sink, "espresso-field-guide.pdf");
    List<Path> lighthouseImages = images(sink, "lighthouse-sync-admin-guide.pdf");
    List<Path> tideImages = images(sink, "tide-gauge-research-note.pdf");
    assertThat(espressoImages).isNotEmpty().allSatisfy(p -> assertThat(p).isRegularFile());
    assertThat(lighthouseImages).isNotEmpty();

    Files.write(input.resolve("tide-gauge-research-note.pdf"),
        TestPdfs.text("Tide gauge note, second edition: the gauge at Pier 7 was recalibrated on 3 March."));
    Files.write(input.resolve("pump-station-log.pdf"),
        TestPdfs.text("Pump station 12 log: the intake filter was replaced after the pressure alarm."));
    Files.delete(input.resolve("espresso-field-guide.pdf"));

    IngestRun second = IngestRun.ingest(sink, "--input=" + input, "--prune=true");
    assertThat(second.exitCode).as(second.stderr).isZero();
    assertThat(second.count("documents_skipped")).isEqualTo(3);
    assertThat(second.count("documents_updated")).isEqualTo(1);
    assertThat(second.count("documents_added")).isEqualTo(1);
    assertThat(second.count("documents_removed")).isEqualTo(1);
    Map<String, String> secondLines = lines(sink);

    // what the sink must hold: what a fresh ingest of the same folder writes elsewhere
    IngestRun fresh = IngestRun.ingest(out.resolve("fresh"), "--input=" + input);
    assertThat(fresh.exitCode).as(fresh.stderr).isZero();
    assertThat(secondLines.keySet()).isEqualTo(lines(out.resolve("fresh")).keySet());
    // an unchanged document's lines are the first run's, as they were
    firstLines.forEach((id, line) -> {
      if (line.contains("lighthouse-sync-admin-guide.pdf")) {
        assertThat(secondLines).containsEntry(id, line);
      }
    });
    assertThat(espressoImages).as("the removed document's image files").allSatisfy(p -> assertThat(p).doesNotExist());
    assertThat(tideImages).as("the changed document's old image files").allSatisfy(p -> assertThat(p).doesNotExist());
    assertThat(lighthouseImages).as("an unchanged document's image files").allSatisfy(p -> assertThat(p).isRegularFile());
    assertThat(images(sink, "tide-gauge-research-note.pdf")).isNotEmpty().allSatisfy(p -> assertThat(p).isRegularFile());
    assertThat(sink.resolve(".previous")).as("the stash is gone after a run that succeeded").doesNotExist();

    // a run that died after moving the shards aside (and wrote a partial shard) is redone from them
    Path stash = Files.createDirectories(sink.resolve(".previous/vectors"));
    Files.createDirectories(sink.resolve(".previous/manifest"));
    for (String dir : List.of("vectors", "manifest")) {
      try (Stream<Path> shards = Files.list(sink.resolve(dir))) {
        for (Path shard : shards.filter(p -> p.toString().endsWith(".jsonl")).collect(Collectors.toList())) {
          Files.move(shard, sink.resolve(".previous").resolve(dir).resolve(shard.getFileName()));
        }
      }
    }
    Files.writeString(sink.resolve(".previous/_complete"), "");
    Files.writeString(sink.resolve("vectors/vectors-00000-of-00001.jsonl"),
        secondLines.values().iterator().next() + "\n");
    assertThat(stash).isNotEmptyDirectory();

    // and without --prune a deleted document stays
    Files.delete(input.resolve("ticket-4821-export-hangs.pdf"));
    IngestRun third = IngestRun.ingest(sink, "--input=" + input);
    assertThat(third.exitCode).as(third.stderr).isZero();
    assertThat(third.count("documents_skipped")).isEqualTo(4);
    assertThat(third.count("documents_removed")).isZero();
    assertThat(third.count("vectors_written")).isZero();
    assertThat(third.count("pages")).as("nothing parsed").isZero();
    assertThat(lines(sink)).as("the same lines, none twice").isEqualTo(secondLines);
    try (dev.pagebeam.io.store.SinkCollection store = new dev.pagebeam.io.files.FileVectorStore(sink.toString())) {
      assertThat(store.count()).isEqualTo(secondLines.size());
    }
  }

  /**
   * After a settings change (here the chunk size) every document is embedded again: the file sink's
   * run starts over instead of diffing against a manifest none of whose entries can be kept, and
   * ends with the lines a fresh run makes; the next run with the same settings skips everything.
   */
  @Test
  void aFileSinkRunUnderOtherSettingsStartsOverAndEndsAsAFreshRun() throws Exception {
    Path input = Corpus.home().resolve("samples");
    Path sink = out.resolve("sink");
    IngestRun first = IngestRun.ingest(sink, "--input=" + input, "--writeImages=false");
    assertThat(first.exitCode).as(first.stderr).isZero();

    IngestRun other = IngestRun.ingest(sink, "--input=" + input, "--writeImages=false", "--maxTokens=128");
    assertThat(other.exitCode).as(other.stderr).isZero();
    assertThat(other.count("documents_added")).as("started over, not diffed").isEqualTo(5);
    assertThat(other.count("documents_updated")).isZero();
    assertThat(other.count("documents_skipped")).isZero();
    IngestRun fresh = IngestRun.ingest(out.resolve("fresh"), "--input=" + input, "--writeImages=false",
        "--maxTokens=128");
    assertThat(fresh.exitCode).as(fresh.stderr).isZero();
    assertThat(lines(sink).keySet()).isEqualTo(lines(out.resolve("fresh")).keySet());
    assertThat(sink.resolve(".previous")).as("the stash is gone after a run that succeeded").doesNotExist();

    IngestRun again = IngestRun.ingest(sink, "--input=" + input, "--writeImages=false", "--maxTokens=128");
    assertThat(again.exitCode).as(again.stderr).isZero();
    assertThat(again.count("documents_skipped")).isEqualTo(5);
    assertThat(again.count("vectors_written")).isZero();
  }

  /** The vector lines under {@code dir/vectors}, by id; fails on an id written twice. */
  private static Map<String, String> lines(Path dir) throws Exception {
    Map<String, String> byId = new java.util.HashMap<>();
    try (Stream<Path> shards = Files.list(dir.resolve("vectors"))) {
      for (Path shard : shards.filter(p -> p.toString().endsWith(".jsonl")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(shard)) {
          if (!line.isBlank()) {
            String id = IngestRun.JSON.readTree(line).get("id").asText();
            assertThat(byId.put(id, line)).as("id %s written once", id).isNull();
          }
        }
      }
    }
    return byId;
  }

  /** The image files (refs and thumbnails under the output) of one document's records. */
  private static List<Path> images(Path dir, String file) throws Exception {
    List<Path> images = new java.util.ArrayList<>();
    for (String line : lines(dir).values()) {
      com.fasterxml.jackson.databind.JsonNode r = IngestRun.JSON.readTree(line);
      if (r.get("source").asText().endsWith("/" + file)) {
        for (String field : List.of("ref", "thumbnail")) {
          String path = r.path(field).asText("");
          if (path.startsWith(dir.toString())) {
            images.add(Path.of(path));
          }
        }
      }
    }
    return images;
  }

  @Test
  void twoRunsOnOneCollectionNeverOverlap() throws Exception {
    String sink = "chroma://" + TestServers.address("CHROMA") + "/" + TestServers.uniqueCollection("lock");
    Path locks = Files.createDirectories(out.resolve("locks"));
    String[] args = {"--input=" + Corpus.file("R-data.pdf"), "--sink=" + sink, "--writeImages=false",
        "--lockDir=" + locks};
    CompletableFuture<IngestRun> holder = CompletableFuture.supplyAsync(() -> {
      try {
        return IngestRun.ingest(out.resolve("holder"), args);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // wait until the first run holds the lock (its file names the holder)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lockHolder(locks).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(lockHolder(locks)).contains("PID " + ProcessHandle.current().pid());
    IngestRun second = IngestRun.ingest(out.resolve("second"), args);
    assertThat(holder.isDone()).as("the first run was still going").isFalse();
    assertThat(second.exitCode).as(second.stderr).isEqualTo(3);
    assertThat(second.stderr).contains("another pagebeam run is writing to " + sink)
        .contains("PID " + ProcessHandle.current().pid()).contains("started");
    assertThat(second.summary).as("it did nothing").isNull();
    IngestRun first = holder.get(10, TimeUnit.MINUTES);
    assertThat(first.exitCode).as(first.stderr).isZero();
    assertThat(lockHolder(locks)).as("released").isEmpty();

    // a lock file left by a run that crashed (no process holds the OS lock) is taken over
    Path lock = Files.list(locks).findFirst().orElseThrow();
    Files.writeString(lock, "host crashed-host, PID 999999, started 2026-11-30T02:00:00Z");
    IngestRun after = IngestRun.ingest(out.resolve("after"), args);
    assertThat(after.exitCode).as(after.stderr).isZero();
  }

  private static String lockHolder(Path locks) throws Exception {
    try (Stream<Path> files = Files.list(locks)) {
      List<Path> all = files.collect(Collectors.toList());
      return all.isEmpty() ? "" : Files.readString(all.get(0)).trim();
    }
  }

  private static String[] append(String[] args, String... more) {
    return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
  }
}

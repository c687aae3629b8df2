package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.io.PrivateServer;
import dev.pagebeam.io.TestServers;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ingest and query against the real Chroma and Milvus servers that scripts/test-servers.sh
 * starts: counts, reruns, retrieval of known pages, the dimension guard and a server killed in
 * the middle of a run.
 */
class SinkIngestTest {
  @TempDir Path out;

  private static String input() throws Exception {
    return Corpus.home().resolve("samples") + "," + Corpus.file("R-data.pdf");
  }

  private static String sink(String kind, String address, String collection) {
    return kind + "://" + address + "/" + collection;
  }

  private static long count(StoreConnector connector) throws Exception {
    try (VectorStore store = connector.open()) {
      return store.count();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void ingestCountsRerunsAndFindsKnownPages(String kind) throws Exception {
    String collection = TestServers.uniqueCollection("corpus");
    String address = TestServers.address(kind.toUpperCase(java.util.Locale.ROOT));
    StoreConnector connector = TestServers.connector(kind, collection);
    IngestRun first = IngestRun.ingest(out, "--input=" + input(), "--sink=" + sink(kind, address, collection),
        "--writeElements=true", "--writeImages=false");
    assertThat(first.exitCode).as(first.stderr).isZero();
    long written = first.count("vectors_written");
    // the text model embeds the chunks and the images OCR or a caption gave text
    long imagesWithText = first.count("embedded_images") - first.count("images_without_text");
    assertThat(written).isEqualTo(first.count("text_chunks") + imagesWithText).isGreaterThan(100);
    assertThat(first.summary.get("sink").asText()).isEqualTo(sink(kind, address, collection));
    assertThat(count(connector)).as("the count in the server equals vectors_written").isEqualTo(written);
    ledgerMatchesTheServer(first, connector);

    IngestRun again = IngestRun.ingest(out.resolve("again"), "--input=" + input(),
        "--sink=" + sink(kind, address, collection), "--writeImages=false");
    assertThat(again.exitCode).as(again.stderr).isZero();
    assertThat(count(connector)).as("a rerun upserts the same ids").isEqualTo(written);
    // an incremental rerun parses none of the files the first run indexed without a loss
    long clean = IngestRun.jsonLines(out.resolve("ledger")).stream()
        .filter(l -> l.get("dead_letters").asLong() == 0 && l.get("sink_failures").asLong() == 0
            && !l.get("status").asText().equals("failed")).count();
    assertThat(clean).isPositive();
    assertThat(again.count("documents_skipped")).isEqualTo(clean);
    assertThat(again.count("vectors_written")).isEqualTo(written - IngestRun.jsonLines(out.resolve("ledger")).stream()
        .filter(l -> l.get("dead_letters").asLong() == 0 && l.get("sink_failures").asLong() == 0)
        .mapToLong(l -> l.get("vectors").asLong()).sum());

    // A sentence from a known page finds that page's chunk in the top 3.
    List<JsonNode> chunks = first.elements().stream().filter(e -> e.get("type").asText().equals("text_chunk"))
        .collect(Collectors.toList());
    String all = chunks.stream().map(c -> c.get("text").asText()).collect(Collectors.joining("\n"));
    Random random = new Random(11);
    List<JsonNode> shuffled = new ArrayList<>(chunks);
    java.util.Collections.shuffle(shuffled, random);
    int asked = 0;
    int found = 0;
    List<String> misses = new ArrayList<>();
    try (EmbeddingModel model = EmbeddingModel.load(ModelSpec.cpu(ModelLocation.bundled(ModelLocation.DEFAULT_MODEL)));
         VectorStore store = connector.open()) {
      for (JsonNode chunk : shuffled) {
        String sentence = longestSentence(chunk.get("text").asText());
        if (sentence == null || all.indexOf(sentence) != all.lastIndexOf(sentence)) {
          continue; // too short, or also on another page (headers, repeated lines)
        }
        float[] q = model.embedTexts(List.of(sentence), true).vectors[0];
        List<SearchHit> hits = store.search(q, 3);
        asked++;
        boolean hit = hits.stream().anyMatch(h -> h.source().equals(chunk.get("source").asText())
            && h.page() == chunk.get("page").asInt());
        found += hit ? 1 : 0;
        if (!hit) {
          misses.add("'" + sentence + "' (page " + chunk.get("page").asInt() + ") -> " + hits);
        }
        if (asked == 12) {
          break;
        }
      }
    }
    // Retrieval is the model's work, not an identity: technical manuals repeat themselves across
    // pages, so the test asks 12 sentences and wants at least 10 to find their own page.
    assertThat(asked).isEqualTo(12);
    System.out.printf("%s: %d of %d sentences found their page in the top 3; misses: %s%n", kind, found, asked, misses);
    assertThat(found).as("misses: %s", misses).isGreaterThanOrEqualTo(10);

    // the query command, end to end
    IngestRun query = IngestRun.command(out, "query", "--sink=" + sink(kind, address, collection),
        "--text=How do I renew an expired peer certificate?", "--k=3");
    assertThat(query.exitCode).as(query.stderr).isZero();
    assertThat(query.stdout.lines().filter(l -> l.startsWith(" 1.")).findFirst().orElseThrow())
        .contains("lighthouse-sync-admin-guide.pdf").contains("page 3");
  }

  /**
   * Each file's ledger line says how many vectors it has; the server, asked for that file's element
   * ids, must hold exactly that many.
   */
  static void ledgerMatchesTheServer(IngestRun run, StoreConnector connector) throws Exception {
    java.util.Map<String, List<String>> idsBySource = run.elements().stream().collect(Collectors.groupingBy(
        e -> e.get("source").asText(), Collectors.mapping(e -> e.get("id").asText(), Collectors.toList())));
    List<JsonNode> ledger = IngestRun.jsonLines(run.output.resolve("ledger"));
    assertThat(ledger).hasSize((int) run.count("files_seen"));
    try (VectorStore store = connector.open()) {
      for (JsonNode line : ledger) {
        List<String> ids = idsBySource.getOrDefault(line.get("source").asText(), List.of());
        assertThat((long) store.existing(ids).size()).as("vectors of %s in the server", line.get("source").asText())
            .isEqualTo(line.get("vectors").asLong());
      }
    }
  }

  /** The longest sentence of at least 8 words, or null. */
  static String longestSentence(String text) {
    return java.util.Arrays.stream(text.replace('\n', ' ').split("(?<=[.!?])\\s+"))
        .map(String::trim).filter(s -> s.split("\\s+").length >= 8 && s.length() < 300)
        .max(Comparator.comparingInt(String::length)).orElse(null);
  }

  @Test
  void aFirstLoadIntoMilvusAsBulkFilesWritesEveryVectorToFilesAndNoneToTheServer() throws Exception {
    String collection = TestServers.uniqueCollection("bulk");
    String address = TestServers.address("MILVUS");
    String sink = sink("milvus", address, collection);
    Path bulk = out.resolve("bulk");
    IngestRun chroma = IngestRun.ingest(out.resolve("c"), "--sink=" + sink("chroma", TestServers.address("CHROMA"),
        collection), "--milvusBulk=" + bulk);
    assertThat(chroma.exitCode).isEqualTo(2);
    assertThat(chroma.stderr).contains("--milvusBulk").contains("needs a milvus:// sink");

    IngestRun run = IngestRun.ingest(out.resolve("run"), "--input=" + input(), "--sink=" + sink,
        "--milvusBulk=" + bulk, "--writeImages=false");
    assertThat(run.exitCode).as(run.stderr).isZero();
    long written = run.count("vectors_written");
    long imagesWithText = run.count("embedded_images") - run.count("images_without_text");
    assertThat(written).isEqualTo(run.count("text_chunks") + imagesWithText).isGreaterThan(100);
    assertThat(run.count("upsert_requests")).isZero();
    assertThat(count(TestServers.connector("milvus", collection))).as("nothing upserted").isZero();
    List<Path> files;
    try (java.util.stream.Stream<Path> list = Files.list(bulk)) {
      files = list.filter(f -> f.getFileName().toString().matches("vectors-\\d{5}-of-\\d{5}\\.parquet")).toList();
    }
    assertThat(files).isNotEmpty();
    assertThat(run.stdout).contains("the vectors are in " + files.size() + " bulk files").contains("milvus-import");

    // a second run would make a second copy of every row: refused before anything is read
    IngestRun again = IngestRun.ingest(out.resolve("again"), "--input=" + input(), "--sink=" + sink,
        "--milvusBulk=" + bulk);
    assertThat(again.exitCode).isEqualTo(2);
    assertThat(again.stderr).contains("already holds " + files.size() + " bulk files");
    assertThat(out.resolve("again").resolve("ledger")).doesNotExist();

    // Milvus Lite cannot import: said plainly
    IngestRun imported = IngestRun.command(out, "milvus-import", "--sink=" + sink,
        "--files=" + files.get(0).getFileName());
    assertThat(imported.exitCode).isEqualTo(1);
    assertThat(imported.stderr).contains("does not implement import");
    try (VectorStore store = TestServers.connector("milvus", collection).open()) {
      store.drop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void theArticlesFailureIsRefusedBeforeAnyPdfIsRead(String kind) throws Exception {
    // a 1024-dimension collection, as a 1024-dimension model would have made it, and a 384-dimension model
    String collection = TestServers.uniqueCollection("article");
    StoreConnector connector = TestServers.connector(kind, collection);
    try (VectorStore store = connector.open()) {
      store.create(1024, "bge-large-en-v1.5");
      float[] v = new float[1024];
      v[0] = 1;
      store.upsert(List.of(new dev.pagebeam.io.VectorRecord("a".repeat(32), "d".repeat(64), "text_chunk", "x.pdf", 1,
          "existing", "x.pdf#page=1", "h".repeat(64), "bge-large-en-v1.5", v)));
    }
    IngestRun run = IngestRun.ingest(out.resolve("never"), "--sink=" + sink(kind,
        TestServers.address(kind.toUpperCase(java.util.Locale.ROOT)), collection));
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.summary).isNull();
    assertThat(run.stderr).contains("1024-dimension").contains("384-dimension").contains("bge-small-en-v1.5-q")
        .contains(collection).contains("new collection").contains("--recreate");
    assertThat(out.resolve("never")).as("no PDF was read, nothing was written").doesNotExist();
    assertThat(count(connector)).isEqualTo(1);
  }

  /**
   * A server killed in the middle of a run. With a long retry budget and a server back within
   * seconds, the run rides over the restart and everything is there. With a one-second budget and
   * a server that stays down until the run ends, the run must exit 1 with dead letters that name
   * every record the server lacks. Both paths run, on both servers.
   */
  @ParameterizedTest(name = "{0}, retries for {1} s")
  @CsvSource({"chroma, 60", "milvus, 60", "chroma, 1", "milvus, 1"})
  void aServerKilledDuringARunLosesNothingAfterARerun(String kind, int retrySeconds, @TempDir Path data)
      throws Exception {
    boolean ridesOver = retrySeconds > 1;
    int batchSize = 16;
    try (PrivateServer server = PrivateServer.start(kind, data.resolve(kind + "-data"))) {
      String collection = TestServers.uniqueCollection("killed");
      String sink = sink(kind, server.address(), collection);
      String input = Corpus.file("R-data.pdf") + "," + Corpus.file("R-FAQ.pdf");
      String[] args = {"--input=" + input, "--sink=" + sink, "--writeImages=false", "--sinkBatchSize=" + batchSize,
          "--sinkRetrySeconds=" + retrySeconds, "--writeElements=true"};
      StoreConnector connector = connector(kind, server.address(), collection);
      CompletableFuture<IngestRun> running = CompletableFuture.supplyAsync(() -> {
        try {
          return IngestRun.ingest(out.resolve("first"), args);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // one store, opened once the guard has made the collection, watches for the first writes:
      // opening one per poll costs a collection load each time, and the writes would be over
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      long atKill = 0;
      VectorStore watcher = null;
      while (atKill == 0 && System.nanoTime() < deadline && !running.isDone()) {
        try {
          watcher = watcher == null ? connector.open() : watcher;
          atKill = watcher.count();
        } catch (IOException notYet) {
          Thread.sleep(100);
        }
      }
      if (watcher != null) {
        watcher.close();
      }
      assertThat(running.isDone()).as("the run is still writing when the server dies").isFalse();
      server.kill();
      System.out.printf("%s: killed the server holding %d records%n", kind, atKill);
      IngestRun first;
      if (ridesOver) {
        Thread.sleep(3_000);
        server.restart();
        first = running.get(10, TimeUnit.MINUTES);
      } else {
        first = running.get(10, TimeUnit.MINUTES);
        server.restart();
      }
      // what the first run had to write: its chunks and the images it embedded by their text
      Set<String> expected = first.elements().stream()
          .filter(e -> e.get("type").asText().equals("text_chunk") || e.has("text"))
          .map(e -> e.get("id").asText()).collect(Collectors.toSet());
      Set<String> held;
      try (VectorStore store = connector.open()) {
        held = store.existing(expected);
      }
      System.out.printf("%s, retries for %d s: the first run exited %d, the server holds %d of %d records%n",
          kind, retrySeconds, first.exitCode, held.size(), expected.size());
      if (ridesOver) {
        // the retries rode over the restart: everything is there, and the run said so
        assertThat(first.exitCode).as(first.stderr).isZero();
        assertThat(first.count("sink_failures")).isZero();
        assertThat(first.count("vectors_written")).isEqualTo(expected.size());
        assertThat(held).isEqualTo(expected);
      } else {
        // the run says loudly what it could not write, and its dead letters name every missing record
        assertThat(first.exitCode).as("the server stayed down: the run must fail").isEqualTo(1);
        assertThat(first.stderr).contains("could not be written");
        Set<String> deadLettered = first.deadLetters().stream()
            .filter(d -> d.get("stage").asText().equals("sink"))
            .map(d -> d.get("element").asText().replaceAll("^\\S+ ", "")).collect(Collectors.toSet());
        assertThat(first.count("sink_failures")).isEqualTo(deadLettered.size()).isPositive();
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(held);
        assertThat(missing).isNotEmpty();
        assertThat(deadLettered).as("every record the server lacks is a dead letter").containsAll(missing);
        // A request the server applied just before it died, whose answer never came, is a dead
        // letter the server holds: the client cannot tell. Only the batches in flight at the kill can
        // be so, at most --sinkRequestsInFlight (2) per writer thread (the DirectRunner runs 3 here).
        Set<String> appliedUnanswered = new HashSet<>(deadLettered);
        appliedUnanswered.retainAll(held);
        assertThat(appliedUnanswered.size()).as("dead letters the server holds")
            .isLessThanOrEqualTo(3 * 2 * batchSize);
        assertThat(first.count("vectors_written")).as("vectors_written counts the acknowledged records")
            .isEqualTo(held.size() - appliedUnanswered.size());
        // the ledger calls a file whose vectors never reached the server failed, never "no content"
        for (JsonNode line : IngestRun.jsonLines(first.output.resolve("ledger"))) {
          assertThat(line.get("status").asText()).as(line.toString())
              .isEqualTo(line.get("vectors").asLong() > 0 ? "indexed" : "failed");
          assertThat(line.get("reason").asText()).contains("could not be written to the sink");
        }
        assertThat(first.count("files_without_content")).isZero();
        assertThat(first.deadLetters().stream().filter(d -> d.get("stage").asText().equals("sink"))
            .map(d -> d.get("message").asText())).allMatch(m -> m.contains("a rerun upserts the same ids"));
      }
      IngestRun rerun = IngestRun.ingest(out.resolve("rerun"), args);
      assertThat(rerun.exitCode).as(rerun.stderr).isZero();
      assertThat(count(connector)).as("exactly the records of the input, no duplicates, none lost")
          .isEqualTo(expected.size());
    }
  }

  private static StoreConnector connector(String kind, String address, String collection) {
    String host = address.split(":")[0];
    int port = Integer.parseInt(address.split(":")[1]);
    return kind.equals("chroma")
        ? new dev.pagebeam.io.chroma.ChromaConnector(host, port, "default_tenant", "default_database", collection)
        : new dev.pagebeam.io.milvus.MilvusConnector(host, port, "default", collection, false);
  }
}

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
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

    IngestRun again = IngestRun.ingest(out.resolve("again"), "--input=" + input(),
        "--sink=" + sink(kind, address, collection), "--writeImages=false");
    assertThat(again.exitCode).as(again.stderr).isZero();
    assertThat(count(connector)).as("a rerun upserts the same ids").isEqualTo(written);

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

  /** The longest sentence of at least 8 words, or null. */
  static String longestSentence(String text) {
    return java.util.Arrays.stream(text.replace('\n', ' ').split("(?<=[.!?])\\s+"))
        .map(String::trim).filter(s -> s.split("\\s+").length >= 8 && s.length() < 300)
        .max(Comparator.comparingInt(String::length)).orElse(null);
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

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void aServerKilledDuringARunLosesNothingAfterARerun(String kind, @TempDir Path data) throws Exception {
    try (PrivateServer server = PrivateServer.start(kind, data.resolve(kind + "-data"))) {
      String collection = TestServers.uniqueCollection("killed");
      String sink = sink(kind, server.address(), collection);
      String input = Corpus.file("R-data.pdf") + "," + Corpus.file("R-FAQ.pdf");
      String[] args = {"--input=" + input, "--sink=" + sink, "--writeImages=false", "--sinkBatchSize=16",
          "--sinkRetrySeconds=60"};
      StoreConnector connector = connector(kind, server.address(), collection);
      CompletableFuture<IngestRun> running = CompletableFuture.supplyAsync(() -> {
        try {
          return IngestRun.ingest(out.resolve("first"), args);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (countOrZero(connector) == 0 && System.nanoTime() < deadline && !running.isDone()) {
        Thread.sleep(200);
      }
      assertThat(running.isDone()).as("the run is still writing when the server dies").isFalse();
      server.kill();
      Thread.sleep(3_000);
      server.restart();
      IngestRun first = running.get(10, TimeUnit.MINUTES);
      // Either the retries rode over the restart, or the run says loudly what it could not write.
      if (first.exitCode == 0) {
        assertThat(first.count("sink_failures")).isZero();
      } else {
        assertThat(first.exitCode).isEqualTo(1);
        assertThat(first.count("sink_failures")).isPositive();
        assertThat(first.stderr).contains("could not be written");
        assertThat(first.deadLetters()).anySatisfy(d -> assertThat(d.get("stage").asText()).isEqualTo("sink"));
      }
      IngestRun rerun = IngestRun.ingest(out.resolve("rerun"), args);
      assertThat(rerun.exitCode).as(rerun.stderr).isZero();
      assertThat(count(connector)).as("exactly the chunks of the input, no duplicates, none lost")
          .isEqualTo(rerun.count("text_chunks")).isEqualTo(first.count("text_chunks"));
    }
  }

  private static StoreConnector connector(String kind, String address, String collection) {
    String host = address.split(":")[0];
    int port = Integer.parseInt(address.split(":")[1]);
    return kind.equals("chroma")
        ? new dev.pagebeam.io.chroma.ChromaConnector(host, port, "default_tenant", "default_database", collection)
        : new dev.pagebeam.io.milvus.MilvusConnector(host, port, "default", collection, "", false);
  }

  private static long countOrZero(StoreConnector connector) {
    try {
      return count(connector);
    } catch (Exception notYet) {
      return 0;
    }
  }
}

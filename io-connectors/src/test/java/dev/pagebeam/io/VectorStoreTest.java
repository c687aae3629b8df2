package dev.pagebeam.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagebeam.io.store.CollectionGuard;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.StoreException;
import dev.pagebeam.io.store.VectorStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chroma and Milvus through the same interface, against the real servers. */
class VectorStoreTest {
  static float[] unit(Random random, int dimension) {
    float[] v = new float[dimension];
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < dimension; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  static List<VectorRecord> records(int n, int dimension, String textPrefix, long seed) {
    Random random = new Random(seed);
    List<VectorRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("%032x", i);
      out.add(new VectorRecord(id, "d".repeat(64), i % 5 == 0 ? "page_image" : "text_chunk", "/corpus/manual.pdf",
          1 + i / 10, i % 5 == 0 ? null : textPrefix + " chunk " + i, "/corpus/manual.pdf#page=" + (1 + i / 10),
          "h".repeat(64), "test-model", unit(random, dimension)));
    }
    return out;
  }

  /**
   * Milvus's BM25 matches words as the file sink's Lucene analyzer does: "installing" finds
   * "install", "mutexes" finds "mutex", and a query of stop words only finds nothing.
   */
  @org.junit.jupiter.api.Test
  void milvusLexicalSearchStemsAndDropsStopWordsAsTheFileSinkDoes() throws Exception {
    Random random = new Random(7);
    String[] texts = {"To install the package, run the installer as root.", "Each mutex guards one queue of jobs.",
        "The the of and a an is are", "Colour profiles describe how a device renders colour."};
    List<VectorRecord> records = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      records.add(new VectorRecord(String.format("%032x", i), "d".repeat(64), "text_chunk", "/corpus/manual.pdf",
          i + 1, texts[i], "/corpus/manual.pdf#page=" + (i + 1), "h".repeat(64), "test-model", unit(random, 8)));
    }
    try (VectorStore store = TestServers.connector("milvus", TestServers.uniqueCollection("stems")).open();
         dev.pagebeam.io.store.Bm25Index lucene = new dev.pagebeam.io.store.Bm25Index()) {
      store.create(8, "test-model");
      store.upsert(records);
      for (VectorRecord r : records) {
        lucene.add(new SearchHit(r.id(), 0, r.type(), r.source(), r.page(), r.preview(200), r.ref()), r.text());
      }
      for (String[] q : new String[][] {{"installing", "1"}, {"mutexes", "2"}, {"rendering colours", "4"}}) {
        assertThat(store.searchText(q[0], 3)).as(q[0]).extracting(SearchHit::page)
            .containsExactly(Integer.parseInt(q[1]));
        assertThat(lucene.search(q[0], 3)).as(q[0]).extracting(SearchHit::page)
            .containsExactly(Integer.parseInt(q[1]));
      }
      assertThat(store.searchText("the of and", 3)).as("stop words only").isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void guardCreatesUpsertsAreIdempotentAndSearchFindsTheNearest(String kind) throws Exception {
    try (VectorStore store = TestServers.connector(kind, TestServers.uniqueCollection("contract")).open()) {
      assertThat(store.describe().exists()).isFalse();
      assertThat(CollectionGuard.prepare(store, "test-model", 16, false)).isEqualTo("created");
      assertThat(store.describe().model()).isEqualTo("test-model");
      List<VectorRecord> first = records(50, 16, "first", 1);
      store.upsert(first);
      assertThat(store.count()).isEqualTo(50);
      store.upsert(records(50, 16, "second", 1));
      store.upsert(first.subList(0, 20));
      assertThat(store.count()).as("upserts by id never duplicate").isEqualTo(50);
      List<SearchHit> hits = store.search(first.get(7).vector(), 3);
      assertThat(hits).hasSize(3);
      assertThat(hits.get(0).id()).isEqualTo(first.get(7).id());
      assertThat(hits.get(0).score()).isGreaterThan(0.999);
      assertThat(hits.get(0).page()).isEqualTo(first.get(7).page());
      assertThat(hits.get(0).source()).isEqualTo("/corpus/manual.pdf");
      assertThat(CollectionGuard.prepare(store, "test-model", 16, false)).isEqualTo("checked");
      store.drop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void aCollectionOfAnotherDimensionIsRefusedWithBothNumbersAndTheWaysOut(String kind) throws Exception {
    try (VectorStore store = TestServers.connector(kind, TestServers.uniqueCollection("article")).open()) {
      store.create(1024, "some-1024-model");
      store.upsert(records(3, 1024, "big", 2));
      assertThatThrownBy(() -> CollectionGuard.prepare(store, "bge-small-en-v1.5-q", 384, false))
          .isInstanceOf(DimensionMismatchException.class)
          .hasMessageContaining("1024-dimension").hasMessageContaining("384-dimension")
          .hasMessageContaining("bge-small-en-v1.5-q").hasMessageContaining(store.describeTarget())
          .hasMessageContaining("new collection").hasMessageContaining("--recreate");
      assertThat(store.count()).as("nothing was written").isEqualTo(3);
      assertThat(CollectionGuard.prepare(store, "bge-small-en-v1.5-q", 384, true)).isEqualTo("recreated");
      // Chroma learns the dimension at the first write; Milvus has it in the schema
      assertThat(store.describe().dimension()).isIn(null, 384);
      assertThat(store.describe().model()).isEqualTo("bge-small-en-v1.5-q");
      assertThat(store.count()).isZero();
      store.drop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void theSameDimensionFromAnotherModelIsRefusedToo(String kind) throws Exception {
    try (VectorStore store = TestServers.connector(kind, TestServers.uniqueCollection("model")).open()) {
      store.create(8, "all-minilm-l6-v2");
      assertThatThrownBy(() -> CollectionGuard.prepare(store, "bge-small-en-v1.5-q", 8, false))
          .isInstanceOf(DimensionMismatchException.class)
          .hasMessageContaining("all-minilm-l6-v2").hasMessageContaining("not comparable");
      store.drop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void theServersOwnDimensionRefusalIsNotTransient(String kind) throws Exception {
    try (VectorStore store = TestServers.connector(kind, TestServers.uniqueCollection("serverdim")).open()) {
      store.create(8, "test-model");
      store.upsert(records(2, 8, "ok", 3));
      assertThatThrownBy(() -> store.upsert(records(2, 5, "wrong", 4)))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isTransient()).isFalse());
      store.drop();
    }
  }

  @org.junit.jupiter.api.Test
  void chromasUnknownDimensionIsProbedBeforeAnythingIsWritten() throws Exception {
    try (VectorStore store = TestServers.connector("chroma", TestServers.uniqueCollection("probe")).open()) {
      store.create(12, "test-model");
      assertThat(store.describe().dimension()).as("Chroma fixes the dimension at the first write").isNull();
      assertThat(CollectionGuard.prepare(store, "test-model", 12, false)).isEqualTo("checked");
      assertThat(store.describe().dimension()).isEqualTo(12);
      assertThat(store.count()).as("the probe record is removed").isZero();
      store.drop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void longNonAsciiTextIsStoredAndPreviewedWithinTheServersLimits(String kind) throws Exception {
    try (VectorStore store = TestServers.connector(kind, TestServers.uniqueCollection("unicode")).open()) {
      CollectionGuard.prepare(store, "test-model", 8, false);
      // 3 bytes per character in UTF-8: 600 of them are 1,800 bytes, more than a 1 KB VarChar
      String text = "\u6f22\u5b57\u3068 r\u00e9sum\u00e9 ".repeat(60) + "\ud83d\udcc4 end";
      VectorRecord r = new VectorRecord("f".repeat(32), "d".repeat(64), "text_chunk", "/corpus/\u6587\u66f8.pdf", 4,
          text, "/corpus/\u6587\u66f8.pdf#page=4", "h".repeat(64), "test-model", unit(new Random(3), 8));
      store.upsert(List.of(r));
      SearchHit hit = store.search(r.vector(), 1).get(0);
      assertThat(hit.id()).isEqualTo(r.id());
      assertThat(hit.source()).isEqualTo(r.source());
      assertThat(hit.preview()).isEqualTo(r.preview(200)).hasSize(200).endsWith("\u2026");
      store.drop();
    }
  }
  /**
   * Text cut from real PDFs reaches the servers as valid Unicode: a preview whose 200-character
   * cut falls inside an emoji's surrogate pair, and a lone surrogate from a broken text layer, made
   * Chroma refuse the whole request (HTTP 400, "unexpected end of hex escape") and end the run.
   */
  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void halfAnEmojiAndALoneSurrogateNeverReachTheServer(String kind) throws Exception {
    String text = "a".repeat(198) + "\ud83d\udcc4 tail with a lone \ud800 surrogate";
    VectorRecord r = new VectorRecord("e".repeat(32), "d".repeat(64), "text_chunk", "/corpus/emoji.pdf", 1, text,
        "/corpus/emoji.pdf#page=1", "h".repeat(64), "test-model", unit(new Random(5), 8));
    assertThat(r.preview(200)).isEqualTo("a".repeat(198) + "\u2026");
    assertThat(r.text()).endsWith("lone \ufffd surrogate").contains("\ud83d\udcc4");
    try (VectorStore store = TestServers.connector(kind, TestServers.uniqueCollection("surrogates")).open()) {
      CollectionGuard.prepare(store, "test-model", 8, false);
      store.upsert(List.of(r));
      SearchHit hit = store.search(r.vector(), 1).get(0);
      assertThat(hit.id()).isEqualTo(r.id());
      assertThat(hit.preview()).isEqualTo(r.preview(200));
      store.drop();
    }
  }

  /**
   * A batched delete removes every record of the named documents and nothing else, across more
   * documents than one request takes, with sources that need quoting in a filter expression.
   */
  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void deleteDocumentsRemovesExactlyTheRecordsOfThoseDocuments(String kind) throws Exception {
    Random random = new Random(11);
    List<VectorRecord> records = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (int d = 0; d < 230; d++) {
      String source = d == 4 ? "/corpus/a \"quoted\" name\\with backslash.pdf"
          : d == 6 ? "/corpus/two\nlines.pdf" : d == 8 ? "/corpus/\u6587\u66f8 r\u00e9sum\u00e9.pdf"
          : "/corpus/doc-" + d + ".pdf";
      sources.add(source);
      for (int r = 0; r < 2; r++) {
        records.add(new VectorRecord(String.format("%030x%02d", d, r), "d".repeat(64), "text_chunk", source, r + 1,
            "text of " + d, source + "#page=" + (r + 1), "h".repeat(64), "test-model", unit(random, 8)));
      }
    }
    // every other document goes: 115 of 230 (two requests' worth), those with a quote, a line
    // break or non-ASCII in their source among them, and a source that has no records
    List<String> gone = new ArrayList<>();
    for (int d = 0; d < sources.size(); d += 2) {
      gone.add(sources.get(d));
    }
    assertThat(gone).contains(sources.get(4), sources.get(6), sources.get(8));
    List<String> asked = new ArrayList<>(gone);
    asked.add("/corpus/never-written.pdf");
    try (VectorStore store = TestServers.connector(kind, TestServers.uniqueCollection("deletes")).open()) {
      CollectionGuard.prepare(store, "test-model", 8, false);
      store.upsert(records);
      assertThat(store.count()).isEqualTo(460);
      store.deleteDocuments(asked);
      assertThat(store.count()).isEqualTo(460 - 2L * gone.size());
      for (VectorRecord r : List.of(records.get(0), records.get(8), records.get(12), records.get(16), records.get(2),
          records.get(459))) {
        List<SearchHit> hit = store.search(r.vector(), 1);
        boolean kept = !gone.contains(r.source());
        assertThat(!hit.isEmpty() && hit.get(0).id().equals(r.id())).as(r.source() + " kept").isEqualTo(kept);
      }
      store.drop();
    }
  }
}

package dev.pagebeam.io.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reciprocal rank fusion and the BM25 index, on figures worked out by hand. */
class FusionTest {
  private static SearchHit hit(String id, double score) {
    return new SearchHit(id, score, "text_chunk", "/s.pdf", 1, id, "ref");
  }

  @Test
  void ranksAreFusedNotScores() {
    // dense: a, b, c; lexical: c, a. a = 1/61 + 1/62, c = 1/63 + 1/61, b = 1/62
    List<SearchHit> fused = Fusion.rrf(List.of(List.of(hit("a", 0.9), hit("b", 0.8), hit("c", 0.7)),
        List.of(hit("c", 12.0), hit("a", 3.0))), 3);
    assertThat(fused).extracting(SearchHit::id).containsExactly("a", "c", "b");
    assertThat(fused.get(0).score()).isCloseTo(1 / 61.0 + 1 / 62.0, offset(1e-12));
    assertThat(fused.get(1).score()).isCloseTo(1 / 63.0 + 1 / 61.0, offset(1e-12));
    assertThat(Fusion.rrf(List.of(List.of(hit("a", 1), hit("b", 1))), 1)).extracting(SearchHit::id)
        .containsExactly("a");
  }

  @Test
  void bm25FindsTheRareWordAndStems() throws Exception {
    try (Bm25Index index = new Bm25Index()) {
      index.add(hit("one", 0), "The daemon listens on port 7420 for peers and on port 7421 for the web console.");
      index.add(hit("two", 0), "Locking with mutexes: each mutex guards one queue.");
      index.add(hit("three", 0), "The web console shows the status of every branch.");
      assertThat(index.search("7421", 3)).extracting(SearchHit::id).containsExactly("one");
      assertThat(index.search("mutex", 3)).extracting(SearchHit::id).containsExactly("two");
      assertThat(index.search("web console", 3)).extracting(SearchHit::id).containsExactlyInAnyOrder("one", "three");
      assertThat(index.search("the of", 3)).as("stop words only").isEmpty();
    }
  }
}

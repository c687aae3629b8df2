package dev.pagebeam.io.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fusion functions and the BM25 index, on figures worked out by hand. */
class FusionTest {
  private static SearchHit hit(String id, double score) {
    return new SearchHit(id, score, "text_chunk", "/s.pdf", 1, id, "ref");
  }

  private static Rankings rankings(List<SearchHit> dense, List<SearchHit> lexical) {
    return new Rankings(dense, lexical);
  }

  private static final Rankings ABC = rankings(List.of(hit("a", 0.9), hit("b", 0.8), hit("c", 0.7)),
      List.of(hit("c", 12.0), hit("a", 3.0), hit("d", 1.0)));

  @Test
  void convexAddsMinMaxNormalisedScoresByWeight() {
    // dense a 1, b 0.5, c 0; lexical c 1, a 2/11, d 0 (missing counts as 0)
    List<SearchHit> even = Fusion.of("convex", 0.5, 0).fuse(ABC, 4);
    assertThat(even).extracting(SearchHit::id).containsExactly("a", "c", "b", "d");
    assertThat(even.get(0).score()).isCloseTo(0.5 + 0.5 * 2 / 11.0, offset(1e-12));
    assertThat(even.get(1).score()).isCloseTo(0.5, offset(1e-12));
    assertThat(even.get(2).score()).isCloseTo(0.25, offset(1e-12));
    // dense weighs more: b (dense 0.5) passes c (lexical 1)
    assertThat(Fusion.of("convex", 0.8, 0).fuse(ABC, 4)).extracting(SearchHit::id).containsExactly("a", "b", "c", "d");
    // the weights at their ends are the halves alone
    assertThat(Fusion.of("convex", 0, 0).fuse(ABC, 1)).extracting(SearchHit::id).containsExactly("c");
    assertThat(Fusion.of("convex", 1, 0).fuse(ABC, 2)).extracting(SearchHit::id).containsExactly("a", "b");
  }

  @Test
  void rrfFusesRanksWithWeights() {
    // a = 1/61 + 1/62, c = 1/63 + 1/61, b = 1/62, d = 1/63
    List<SearchHit> even = Fusion.of("rrf", 0.5, 0).fuse(ABC, 4);
    assertThat(even).extracting(SearchHit::id).containsExactly("a", "c", "b", "d");
    assertThat(even.get(0).score()).isCloseTo(1 / 61.0 + 1 / 62.0, offset(1e-12));
    assertThat(even.get(1).score()).isCloseTo(1 / 63.0 + 1 / 61.0, offset(1e-12));
    // ranks barely separate: at w = 0.8, c = 1.6/63 + 0.4/61 still beats b = 1.6/62; at w = 0.99, b
    // = 1.98/62 passes c = 1.98/63 + 0.02/61
    assertThat(Fusion.of("rrf", 0.8, 0).fuse(ABC, 3)).extracting(SearchHit::id).containsExactly("a", "c", "b");
    assertThat(Fusion.of("rrf", 0.99, 0).fuse(ABC, 3)).extracting(SearchHit::id).containsExactly("a", "b", "c");
  }

  @Test
  void zscoreShiftsEachListSoThatItsWorstIsZero() {
    // dense 0.9, 0.8, 0.7: sd = 0.0816...; a = 0.2 / sd, b = 0.1 / sd
    double sd = Math.sqrt(2 / 3.0) * 0.1;
    List<SearchHit> fused = Fusion.of("zscore", 1, 0).fuse(ABC, 2);
    assertThat(fused).extracting(SearchHit::id).containsExactly("a", "b");
    assertThat(fused.get(0).score()).isCloseTo(0.2 / sd, offset(1e-9));
  }

  /**
   * The failure of issue 22: lexical ranks the answer first and dense does not list it at all,
   * while the other records sit in both lists at middling ranks. Rank fusion buries the answer;
   * score fusion keeps the lead BM25 gave it.
   */
  @Test
  void aRecordOnlyLexicalFindsKeepsItsLeadUnderConvexButNotUnderRrf() {
    List<SearchHit> dense = new java.util.ArrayList<>();
    List<SearchHit> lexical = new java.util.ArrayList<>(List.of(hit("answer", 40.0)));
    for (int i = 0; i < 30; i++) {
      dense.add(hit("r" + i, 0.80 - i * 0.002));
      lexical.add(hit("r" + (29 - i), 9.0 - i * 0.1));
    }
    Rankings r = rankings(dense, lexical);
    assertThat(Fusion.of("convex", 0.5, 0).fuse(r, 3)).extracting(SearchHit::id).contains("answer");
    assertThat(Fusion.of("rrf", 0.5, 0).fuse(r, 10)).extracting(SearchHit::id).doesNotContain("answer");
  }

  @Test
  void depthCutsBothListsAndBadSettingsAreRefused() {
    Rankings r = rankings(List.of(hit("a", 0.9), hit("b", 0.8)), List.of(hit("c", 5), hit("b", 4)));
    // depth 1: b is in neither cut list
    assertThat(Fusion.of("convex", 0.5, 1).fuse(r, 1)).extracting(SearchHit::id).containsExactly("a");
    assertThat(Fusion.of("rrf", 0.5, 0).depth(5)).isEqualTo(100);
    assertThat(Fusion.of("rrf", 0.5, 20).depth(30)).isEqualTo(30);
    assertThat(Fusion.of("rrf", 0.5, 0).fuse(rankings(List.of(), List.of()), 3)).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fusion.of("max", 0.5, 0))
        .hasMessageContaining("--fusion=max is not one of convex, zscore, rrf");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fusion.of("convex", 1.5, 0))
        .hasMessageContaining("--hybridWeight=1.5 must be between 0");
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

package dev.pagebeam.pipeline.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.pagebeam.io.store.SearchHit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics of eval on rankings whose figures are worked out by hand. */
class EvaluationTest {
  private static SearchHit hit(String file, int page) {
    return new SearchHit(file + "#" + page, 0.5, "text_chunk", "/data/" + file, page, "...", "ref");
  }

  private static Evaluation.Question question(String file, Set<Integer> pages) {
    return new Evaluation.Question(file, pages, "q", 1);
  }

  @Test
  void aRelevantPageCountsOnceAtItsFirstRank() {
    // a.pdf p3 answers; the same page twice, and p3 of another file, add nothing
    Evaluation.Scored s = Evaluation.Scored.of(question("a.pdf", Set.of(3)),
        List.of(hit("b.pdf", 3), hit("a.pdf", 3), hit("a.pdf", 3), hit("a.pdf", 5)), 2);
    assertThat(s.relevantRanks).containsExactly(2);
    assertThat(s.recall).isEqualTo(1.0);
    assertThat(s.reciprocalRank).isEqualTo(0.5);
    // DCG 1/log2(3), ideal 1/log2(2) = 1
    assertThat(s.ndcg).isCloseTo(0.63093, offset(1e-5));
    assertThat(Evaluation.Scored.of(question("a.pdf", Set.of(3)), List.of(hit("b.pdf", 3), hit("a.pdf", 3)), 1)
        .recall).isZero();
  }

  @Test
  void twoRelevantPagesShareRecallAndGain() {
    Evaluation.Scored s = Evaluation.Scored.of(question("a.pdf", Set.of(3, 4)),
        List.of(hit("a.pdf", 4), hit("c.pdf", 1), hit("a.pdf", 3)), 2);
    assertThat(s.relevantRanks).containsExactly(1, 3);
    assertThat(s.recall).isEqualTo(0.5);
    assertThat(s.reciprocalRank).isEqualTo(1.0);
    // DCG 1 + 1/log2(4) = 1.5; ideal 1 + 1/log2(3) = 1.63093
    assertThat(s.ndcg).isCloseTo(0.91972, offset(1e-5));
  }

  @Test
  void theMeansAndTheMissesOfARun() {
    Evaluation.Scored found = Evaluation.Scored.of(question("a.pdf", Set.of(3)),
        List.of(hit("b.pdf", 3), hit("a.pdf", 3)), 2);
    Evaluation.Scored half = Evaluation.Scored.of(question("a.pdf", Set.of(3, 4)),
        List.of(hit("a.pdf", 4), hit("c.pdf", 1), hit("a.pdf", 3)), 2);
    Evaluation.Scored missed = Evaluation.Scored.of(question("b.pdf", Set.of(7)), List.of(hit("b.pdf", 6)), 2);
    Evaluation.Report report = new Evaluation.Report(List.of(found, half, missed), 2, "dense");
    double[] means = Evaluation.Report.means(report.scored);
    assertThat(means[0]).isCloseTo(0.5, offset(1e-9)); // (1 + 0.5 + 0) / 3
    assertThat(means[1]).isCloseTo(0.5, offset(1e-9)); // (0.5 + 1 + 0) / 3
    assertThat(report.misses()).containsExactly(missed);
    assertThat(missed.bestRank()).isZero();
    assertThat(report.perFile()).containsOnlyKeys("a.pdf", "b.pdf");
    assertThat(report.withLatency(List.of(9.0, 1.0, 4.0, 2.0)).medianMillis()).isEqualTo(3.0);
    assertThat(report.withLatency(List.of(9.0, 1.0, 4.0)).medianMillis()).isEqualTo(4.0);
  }

  @Test
  void theQuestionsFileIsReadStrictly(@TempDir Path dir) throws Exception {
    Path ok = Files.writeString(dir.resolve("q.tsv"), "# file\tpages\tquestion\na.pdf\t3-5,9\tWhat is x?\n");
    Evaluation.Question q = Evaluation.Question.read(ok).get(0);
    assertThat(q.pages).containsExactly(3, 4, 5, 9);
    assertThat(q.file).isEqualTo("a.pdf");
    assertThat(q.line).isEqualTo(2);
    Path bad = Files.writeString(dir.resolve("bad.tsv"), "a.pdf\tthree\tWhat is x?\n");
    assertThatThrownBy(() -> Evaluation.Question.read(bad)).hasMessageContaining("line 1")
        .hasMessageContaining("three");
  }
}

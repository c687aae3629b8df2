package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.io.TestServers;
import dev.pagebeam.bench.CopyVectors;
import dev.pagebeam.io.store.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid search is never worse than its better half, on every question set in the repository and
 * on the file sink and Milvus: {@code eval --mode=all} finds at least as many answers in the top k
 * by hybrid as by the better of dense and lexical, less one question; and auto at least as many as
 * hybrid, less one. The sets: samples/eval.tsv over the sample PDFs, and docs/eval/*.tsv over the
 * manuals of docs/eval/corpus.txt.
 */
class HybridRuleTest {
  private static final int[] KS = {3, 5};

  // kept when a check fails: the ingested sinks are what a reader of the failure wants to query
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path out;

  @Test
  void onTheSampleCorpus() throws Exception {
    Path questions = Corpus.home().resolve("samples/eval.tsv");
    for (String sink : List.of("file:" + out.resolve("file"),
        "milvus://" + TestServers.address("MILVUS") + "/" + TestServers.uniqueCollection("rule_samples"))) {
      IngestRun ingest = IngestRun.ingest(out.resolve("run-" + sink.charAt(0)), "--sink=" + sink,
          "--writeImages=false");
      assertThat(ingest.exitCode).as(ingest.stderr).isZero();
      checkRule(sink, questions);
    }
  }

  @Test
  void onTheManualsOfEveryQuestionSetInDocsEval() throws Exception {
    List<String> input = new ArrayList<>();
    for (String line : Files.readAllLines(Corpus.home().resolve("docs/eval/corpus.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        input.add(Corpus.dir().resolve(line.trim()).toString());
      }
    }
    Path files = out.resolve("file");
    IngestRun ingest = IngestRun.ingest(files, "--input=" + String.join(",", input), "--writeImages=false");
    assertThat(ingest.exitCode).as(ingest.stderr).isZero();
    // Milvus gets the same vectors through its writer: the rankings differ only by the server's search
    String milvus = TestServers.uniqueCollection("rule_manuals");
    try (VectorStore store = TestServers.connector("milvus", milvus).open()) {
      assertThat(CopyVectors.copy(files, store, ingest.summary.get("model").asText()))
          .isEqualTo(ingest.count("vectors_written"));
    }
    List<Path> sets;
    try (Stream<Path> s = Files.list(Corpus.home().resolve("docs/eval"))) {
      sets = s.filter(p -> p.toString().endsWith(".tsv")).sorted().collect(Collectors.toList());
    }
    assertThat(sets).hasSizeGreaterThanOrEqualTo(4);
    for (String sink : List.of("file:" + files, "milvus://" + TestServers.address("MILVUS") + "/" + milvus)) {
      for (Path questions : sets) {
        checkRule(sink, questions);
      }
    }
  }

  private void checkRule(String sink, Path questions) throws IOException {
    for (int k : KS) {
      IngestRun eval = IngestRun.command(out, "eval", "--sink=" + sink, "--queries=" + questions, "--mode=all",
          "--k=" + k, "--json=true");
      assertThat(eval.exitCode).as(eval.stderr).isZero();
      JsonNode f = IngestRun.JSON.readTree(eval.stdout.lines().filter(l -> l.startsWith("{")).findFirst()
          .orElseThrow());
      JsonNode modes = f.get("modes");
      int n = f.get("questions").asInt();
      String recall = "recall@" + k;
      double dense = modes.get("dense").get(recall).asDouble() * n;
      double lexical = modes.get("lexical").get(recall).asDouble() * n;
      double hybrid = modes.get("hybrid").get(recall).asDouble() * n;
      double auto = modes.get("auto").get(recall).asDouble() * n;
      String where = questions.getFileName() + " on " + sink + ", " + recall + ": " + f;
      // one question's worth of slack: a recall summed over questions is exact to rounding
      assertThat(hybrid).as("hybrid vs the better half, " + where).isGreaterThanOrEqualTo(
          Math.max(dense, lexical) - 1 - 1e-6);
      assertThat(f.get("hybrid_margin").asDouble()).isCloseTo(hybrid - Math.max(dense, lexical),
          org.assertj.core.data.Offset.offset(0.01));
      assertThat(auto).as("auto vs hybrid, " + where).isGreaterThanOrEqualTo(hybrid - 1 - 1e-6);
    }
  }
}

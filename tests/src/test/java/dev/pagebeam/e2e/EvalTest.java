package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.io.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pagebeam eval} with the questions shipped for the sample corpus, on the file sink, Chroma
 * and Milvus: the same figures from all three, the default model finds the answer of nearly every
 * question in its top 5, and a question whose page does not exist is listed as a miss.
 */
class EvalTest {
  @TempDir Path out;

  @Test
  void theSampleQuestionsGiveTheSameFiguresOnEverySink() throws Exception {
    Path questions = out.resolve("questions.tsv");
    List<String> lines = new ArrayList<>(Files.readAllLines(Corpus.home().resolve("samples/eval.tsv")));
    lines.add("espresso-field-guide.pdf\t9\thow do I descale the boiler");
    Files.write(questions, lines, StandardCharsets.UTF_8);
    int badLine = lines.size();

    List<String> sinks = List.of("file:" + out.resolve("file"),
        "chroma://" + TestServers.address("CHROMA") + "/" + TestServers.uniqueCollection("eval"),
        "milvus://" + TestServers.address("MILVUS") + "/" + TestServers.uniqueCollection("eval"));
    List<JsonNode> figures = new ArrayList<>();
    for (String sink : sinks) {
      IngestRun ingest = IngestRun.ingest(out.resolve("run-" + figures.size()), "--sink=" + sink,
          "--writeImages=false");
      assertThat(ingest.exitCode).as(ingest.stderr).isZero();
      // dense: the same vectors give the same ranking everywhere (lexical analyzers differ by sink)
      IngestRun eval = IngestRun.command(out, "eval", "--sink=" + sink, "--queries=" + questions, "--json=true",
          "--mode=dense");
      assertThat(eval.exitCode).as(eval.stderr).isZero();
      JsonNode f = IngestRun.JSON.readTree(eval.stdout.lines().filter(l -> l.startsWith("{")).findFirst()
          .orElseThrow());
      figures.add(f);
      assertThat(f.get("questions").asInt()).isEqualTo(15);
      assertThat(f.get("per_file").size()).isEqualTo(5);
      assertThat(f.get("misses")).anySatisfy(m -> {
        assertThat(m.get("line").asInt()).isEqualTo(badLine);
        assertThat(m.get("best_rank").isNull()).isTrue();
      });
    }
    // 14 answerable questions of 15: recall@5 at most 14/15; the default model finds 13 or more
    assertThat(figures.get(0).get("recall@5").asDouble()).isBetween(13 / 15.0 - 1e-9, 14 / 15.0 + 1e-9);
    for (JsonNode f : figures.subList(1, 3)) {
      for (String metric : List.of("recall@5", "mrr@10", "ndcg@10")) {
        assertThat(f.get(metric).asDouble()).as("%s on %s", metric, f.get("sink").asText())
            .isEqualTo(figures.get(0).get(metric).asDouble());
      }
    }

    IngestRun table = IngestRun.command(out, "eval", "--sink=" + sinks.get(0), "--queries=" + questions, "--k=1");
    assertThat(table.exitCode).as(table.stderr).isZero();
    assertThat(table.stdout).contains("recall@1").contains("MRR@10").contains("nDCG@10")
        .contains("line " + badLine + "  espresso-field-guide.pdf p9  best rank >10");
    IngestRun none = IngestRun.command(out, "eval", "--sink=" + sinks.get(0));
    assertThat(none.exitCode).isEqualTo(2);
    assertThat(none.stderr).contains("--queries=FILE");
  }
}

package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.io.TestServers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * query --mode on the file sink, Chroma and Milvus over the sample corpus: an exact identifier that
 * occurs on one page only (the web console's port, 7421) is found first by lexical and hybrid search,
 * where the dense vectors alone put another document first; a paraphrase still finds its page in
 * hybrid mode; auto leans to the words for the identifier. Chroma has no lexical mode and says so.
 */
class HybridSearchTest {
  @TempDir Path out;

  @ParameterizedTest
  @ValueSource(strings = {"file", "chroma", "milvus"})
  void aRareIdentifierIsFoundFirstByLexicalAndHybridSearch(String kind) throws Exception {
    String sink = kind.equals("file") ? "file:" + out.resolve("sink")
        : kind + "://" + TestServers.address(kind.toUpperCase()) + "/" + TestServers.uniqueCollection("hybrid");
    IngestRun ingest = IngestRun.ingest(out.resolve("run"), "--sink=" + sink, "--writeImages=false");
    assertThat(ingest.exitCode).as(ingest.stderr).isZero();

    assertThat(first(sink, "7421", "dense")).as("the dense vectors alone miss it")
        .doesNotContain("lighthouse-sync-admin-guide.pdf  page 1");
    assertThat(first(sink, "7421", "hybrid")).contains("lighthouse-sync-admin-guide.pdf  page 1");
    if (kind.equals("chroma")) {
      IngestRun lexical = query(sink, "7421", "lexical");
      assertThat(lexical.exitCode).isEqualTo(2);
      assertThat(lexical.stderr).contains("Chroma 1.0 has no BM25").contains("--mode=hybrid");
    } else {
      assertThat(first(sink, "7421", "lexical")).contains("lighthouse-sync-admin-guide.pdf  page 1");
    }
    // auto fuses both on every sink pagebeam made, leaning to the words for an identifier
    IngestRun auto = query(sink, "7421", "auto");
    assertThat(auto.stdout).contains(", auto, convex").contains("leaning lexical: '7421' looks like an identifier");
    assertThat(first(auto)).contains("lighthouse-sync-admin-guide.pdf  page 1");

    IngestRun paraphrase = query(sink, "how do I renew a peer certificate that ran out", "hybrid");
    assertThat(paraphrase.exitCode).as(paraphrase.stderr).isZero();
    assertThat(paraphrase.stdout.lines().filter(l -> l.matches(" ?[123]\\. .*")))
        .anySatisfy(l -> assertThat(l).contains("lighthouse-sync-admin-guide.pdf  page 3"));
  }

  private IngestRun query(String sink, String text, String mode) throws Exception {
    return IngestRun.command(out, "query", "--sink=" + sink, "--text=" + text, "--mode=" + mode, "--k=3");
  }

  private String first(String sink, String text, String mode) throws Exception {
    return first(query(sink, text, mode));
  }

  private static String first(IngestRun q) {
    assertThat(q.exitCode).as(q.stderr).isZero();
    List<String> first = q.stdout.lines().filter(l -> l.startsWith(" 1. ")).toList();
    assertThat(first).as(q.stdout).hasSize(1);
    return first.get(0);
  }
}

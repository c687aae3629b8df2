package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.io.TestServers;
import dev.pagebeam.io.store.CollectionState;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.transforms.model.TinyClip;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pagebeam reindex} on the real Chroma and Milvus servers: a collection of the default model
 * (384 dimensions) is re-embedded with a model of another dimension (the 64-dimension CLIP-shaped
 * test model) and back; each time the name readers use switches to the new version, queries through
 * it reach the new vectors, and versions beyond --keep are dropped. A reindex that fails its checks
 * leaves the live collection as it was.
 */
class ReindexTest {
  @TempDir Path out;

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void reindexSwitchesTheNameToACheckedNewVersionAndKeepsOne(String kind) throws Exception {
    String name = TestServers.uniqueCollection("reidx");
    String sink = kind + "://" + TestServers.address(kind.toUpperCase()) + "/" + name;
    String clip = TinyClip.assemble(out.resolve("tiny-clip")).describe();

    IngestRun first = IngestRun.ingest(out.resolve("first"), "--sink=" + sink, "--writeImages=false");
    assertThat(first.exitCode).as(first.stderr).isZero();
    long firstRecords = first.count("vectors_written");
    assertThat(describe(kind, name).dimension()).isEqualTo(384);

    // another model, another dimension: ingest refuses it and names reindex
    IngestRun refused = IngestRun.ingest(out.resolve("refused"), "--sink=" + sink, "--writeImages=false",
        "--model=" + clip, "--maxTokens=77", "--overlapTokens=8");
    assertThat(refused.exitCode).isEqualTo(2);
    assertThat(refused.stderr).contains("384-dimension").contains("64-dimension").contains("pagebeam reindex");

    IngestRun toClip = reindex(out.resolve("to-clip"), sink, "--model=" + clip, "--maxTokens=77",
        "--overlapTokens=8");
    assertThat(toClip.exitCode).as(toClip.stderr).isZero();
    assertThat(toClip.stdout).contains("5 of 5 sampled records in the top 3");
    assertThat(toClip.summary.get("version").asText()).isEqualTo(name + "_v2");
    assertThat(toClip.summary.get("previous").asText()).isEqualTo(name + "_v1");
    assertThat(toClip.summary.get("switch").asText()).isEqualTo(kind.equals("milvus") ? "alias" : "rename");
    // readers of the name now reach the new version
    CollectionState live = describe(kind, name);
    assertThat(live.dimension()).isEqualTo(TinyClip.DIMENSION);
    assertThat(live.model()).isEqualTo(toClip.summary.get("model").asText());
    try (VectorStore store = TestServers.connector(kind, name).open()) {
      assertThat(store.count()).isEqualTo(toClip.count("vectors_written")).isNotEqualTo(firstRecords);
      assertThat(store.search(unit(TinyClip.DIMENSION), 3)).hasSize(3);
    }
    IngestRun query = IngestRun.command(out, "query", "--sink=" + sink, "--model=" + clip, "--text=export hangs");
    assertThat(query.exitCode).as(query.stderr).isZero();
    assertThat(query.stdout).contains(name).contains(" 1. ");
    // the old version is kept (--keep=1), whole
    CollectionState old = describe(kind, name + "_v1");
    assertThat(old.dimension()).isEqualTo(384);
    try (VectorStore store = TestServers.connector(kind, name + "_v1").open()) {
      assertThat(store.count()).isEqualTo(firstRecords);
    }

    // back to the default model, with a --validate check it passes
    Path checks = Files.writeString(out.resolve("checks.tsv"),
        "# query<TAB>file\nthe export dialog hangs at 99 percent\tticket-4821-export-hangs.pdf\n",
        StandardCharsets.UTF_8);
    IngestRun back = reindex(out.resolve("back"), sink, "--validate=" + checks);
    assertThat(back.exitCode).as(back.stderr).isZero();
    assertThat(back.stdout).contains("1 of 1 --validate checks");
    assertThat(back.summary.get("version").asText()).isEqualTo(name + "_v3");
    assertThat(back.summary.get("versions_dropped").asInt()).isEqualTo(1);
    assertThat(describe(kind, name).dimension()).isEqualTo(384);
    assertThat(describe(kind, name + "_v1").exists()).as("beyond --keep=1: dropped").isFalse();
    assertThat(describe(kind, name + "_v2").exists()).as("the version just replaced: kept").isTrue();
    assertThat(describe(kind, name + "_v2").dimension()).isEqualTo(TinyClip.DIMENSION);
    IngestRun found = IngestRun.command(out, "query", "--sink=" + sink, "--text=export hangs at 99%", "--k=1");
    assertThat(found.exitCode).as(found.stderr).isZero();
    assertThat(found.stdout).contains("bge-small-en-v1.5-q").contains("ticket-4821-export-hangs.pdf");

    // an incremental ingest after the switch finds the new version's manifest: nothing to do
    IngestRun nightly = IngestRun.ingest(out.resolve("nightly"), "--sink=" + sink, "--writeImages=false");
    assertThat(nightly.exitCode).as(nightly.stderr).isZero();
    assertThat(nightly.count("documents_skipped")).isEqualTo(5);
    assertThat(nightly.count("vectors_written")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroma", "milvus"})
  void aReindexThatFailsItsChecksLeavesTheLiveCollectionServing(String kind) throws Exception {
    String name = TestServers.uniqueCollection("reidxfail");
    String sink = kind + "://" + TestServers.address(kind.toUpperCase()) + "/" + name;
    IngestRun first = IngestRun.ingest(out.resolve("first"), "--sink=" + sink, "--writeImages=false");
    assertThat(first.exitCode).as(first.stderr).isZero();

    Path checks = Files.writeString(out.resolve("checks.tsv"),
        "the export dialog hangs at 99 percent\tticket-4821-export-hangs.pdf\n"
            + "how to descale the espresso machine\tno-such-manual.pdf\n", StandardCharsets.UTF_8);
    IngestRun failed = reindex(out.resolve("failed"), sink, "--model=all-minilm-l6-v2", "--validate=" + checks);
    assertThat(failed.exitCode).isEqualTo(1);
    assertThat(failed.summary).as("no switch, no SUMMARY").isNull();
    assertThat(failed.stderr).contains("failed validation").contains("no-such-manual.pdf")
        .contains("is untouched").contains("dropped " + name + "_v2");

    CollectionState live = describe(kind, name);
    assertThat(live.model()).isEqualTo("bge-small-en-v1.5-q");
    assertThat(describe(kind, name + "_v2").exists()).as("the failed version is dropped").isFalse();
    try (VectorStore store = TestServers.connector(kind, name).open()) {
      assertThat(store.count()).isEqualTo(first.count("vectors_written"));
    }
    IngestRun query = IngestRun.command(out, "query", "--sink=" + sink, "--text=export hangs at 99%", "--k=1");
    assertThat(query.exitCode).as(query.stderr).isZero();
    assertThat(query.stdout).contains("bge-small-en-v1.5-q").contains("ticket-4821-export-hangs.pdf");
  }

  private static IngestRun reindex(Path output, String sink, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("reindex", "--output=" + output, "--sink=" + sink,
        "--writeImages=false"));
    all.addAll(List.of(args));
    return IngestRun.command(output, all.toArray(new String[0]));
  }

  private static CollectionState describe(String kind, String collection) throws Exception {
    try (VectorStore store = TestServers.connector(kind, collection).open()) {
      return store.describe();
    }
  }

  private static float[] unit(int dimension) {
    float[] v = new float[dimension];
    v[0] = 1;
    return v;
  }
}

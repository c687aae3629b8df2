package dev.pagebeam.pipeline.cli;

import dev.pagebeam.pipeline.sink.Sinks;
import dev.pagebeam.pipeline.options.MilvusImportOptions;
import dev.pagebeam.pipeline.options.ReindexOptions;
import dev.pagebeam.pipeline.options.EvalOptions;
import dev.pagebeam.pipeline.options.QueryOptions;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PagebeamCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PagebeamCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    assertThat(run("--help")).isZero();
    for (PagebeamCli.OptionDoc o : PagebeamCli.optionDocs()) {
      assertThat(stdout()).contains("--" + o.name + "=" + (o.defaultValue.isEmpty() ? "..." : o.defaultValue));
    }
    for (Class<?> command : java.util.List.of(QueryOptions.class, ReindexOptions.class, EvalOptions.class,
        MilvusImportOptions.class)) {
      for (PagebeamCli.OptionDoc o : PagebeamCli.optionDocs(command)) {
        assertThat(stdout()).contains("--" + o.name + "=" + (o.defaultValue.isEmpty() ? "..." : o.defaultValue));
      }
    }
    assertThat(PagebeamCli.optionDocs(ReindexOptions.class)).extracting(o -> o.name).containsExactly("keep", "validate");
    assertThat(PagebeamCli.optionDocs(QueryOptions.class)).extracting(o -> o.name).containsExactly("text", "image", "mode", "k", "fusion",
        "hybridWeight", "fusionDepth");
    // every option has its place in the help's order, and the order names no option that is gone
    java.util.List<String> names = new java.util.ArrayList<>();
    PagebeamCli.optionDocs().forEach(o -> names.add(o.name));
    PagebeamCli.optionDocs(QueryOptions.class).forEach(o -> names.add(o.name));
    PagebeamCli.optionDocs(ReindexOptions.class).forEach(o -> names.add(o.name));
    PagebeamCli.optionDocs(EvalOptions.class).forEach(o -> names.add(o.name));
    PagebeamCli.optionDocs(MilvusImportOptions.class).forEach(o -> names.add(o.name));
    assertThat(PagebeamCli.ORDER).containsExactlyInAnyOrderElementsOf(names);
    assertThat(stdout()).contains("ingest").contains("query").contains("inspect-model").contains("reindex").contains("eval").contains("bench-split")
        .contains("milvus-import").contains("bench-encode").contains("bench-sink").contains("bench-ocr");
  }

  @Test
  void docsOptionsTableMatchesTheOptions() throws Exception {
    Path readme = Path.of("..", "docs", "configuration.md");
    String text = Files.readString(readme);
    assertThat(text).as("docs/configuration.md's options table is `bin/pagebeam options-table` verbatim")
        .contains(PagebeamCli.optionsTable());
  }

  @Test
  void unknownOptionIsAUsageErrorThatSaysWhatIsWrong() {
    assertThat(run("ingest", "--maxTokenz=128")).isEqualTo(2);
    assertThat(stderr()).contains("maxTokenz").contains("--help");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("injest")).isEqualTo(2);
    assertThat(stderr()).contains("unknown command 'injest'");
  }

  @Test
  void inputThatMatchesNothingFailsBeforeAnythingRuns(@TempDir Path dir) {
    assertThat(run("ingest", "--input=" + dir + "/nothing-here/*.pdf", "--output=" + dir.resolve("out"))).isEqualTo(2);
    assertThat(stderr()).contains("matches no files").contains("nothing-here");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void invalidSettingsAreRejectedWithTheOptionName(@TempDir Path dir) {
    assertThat(run("ingest", "--overlapTokens=200", "--output=" + dir)).isEqualTo(2);
    assertThat(stderr()).contains("--overlapTokens=200").contains("half of --maxTokens");
  }

  @Test
  void unknownModelNamesTheBundledOnes(@TempDir Path dir) {
    assertThat(run("ingest", "--model=bge-large", "--output=" + dir)).isEqualTo(2);
    assertThat(stderr()).contains("bge-large").contains("bge-small-en-v1.5-q").contains("directory");
  }

  private static PagebeamOptions parseSink(String token) {
    return PagebeamCli.parse(new String[] {"--sink=milvus://127.0.0.1:19530/manuals", "--milvusToken=" + token});
  }

  @Test
  void theMilvusTokenAppearsNowhere(@TempDir Path dir) throws Exception {
    String token = "root:sekret-token-4711";
    PrintStream systemErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    int code;
    try {
      // nothing listens on port 1: the guard fails before any PDF is read, and says why
      code = run("ingest", "--input=../samples", "--sink=milvus://127.0.0.1:1/manuals", "--milvusToken=" + token,
          "--output=" + dir.resolve("out"));
    } finally {
      System.setErr(systemErr);
    }
    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("cannot reach milvus://127.0.0.1:1/manuals");
    assertThat(stdout() + stderr() + logs.toString(StandardCharsets.UTF_8)).doesNotContain("sekret");

    PagebeamOptions options = PagebeamCli.parse(new String[] {"--milvusToken=" + token});
    String serialized = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(options);
    assertThat(serialized).contains("\"options\"").doesNotContain("sekret");
    assertThat(options.toString()).doesNotContain("sekret");
    assertThat(options.getMilvusToken().reveal()).as("the client still gets it").isEqualTo(token);
    assertThat(Sinks.connector(Sinks.target(parseSink(token)), parseSink(token)).toString()).doesNotContain("sekret");
  }
}

package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.io.TestServers;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.transforms.split.TestPdfs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a real multi-process Flink cluster (runner-configs/flink/local-cluster.sh: one
 * JobManager, two TaskManagers of two slots, started by scripts/test.sh, FLINK_MASTER), against the
 * DirectRunner on the same real PDFs: the same ids and vectors, the same counts in Chroma and
 * Milvus, the same dead letters; a second submission to the same cluster; and a TaskManager killed
 * mid-run. The fp32 model is used because the quantized ones give slightly different vectors in
 * different batches.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterTest {
  static final String MODEL = "all-minilm-l6-v2";
  static final List<String> MANUALS = List.of("R-intro.pdf", "R-data.pdf", "R-FAQ.pdf", "R-admin.pdf", "R-lang.pdf");

  @TempDir static Path dir;
  static Path input;
  static String master;
  static IngestRun direct;
  static Map<String, float[]> directVectors;

  @BeforeAll
  static void referenceOnTheDirectRunner() throws Exception {
    master = TestServers.address("FLINK_MASTER");
    input = Files.createDirectories(dir.resolve("in"));
    for (String manual : MANUALS) {
      Files.copy(Corpus.file(manual), input.resolve(manual));
    }
    for (Path sample : SampleCorpusTest.samples()) {
      Files.copy(sample, input.resolve(sample.getFileName()));
    }
    direct = IngestRun.ingest(dir.resolve("direct"), "--input=" + input, "--model=" + MODEL, "--writeImages=false");
    assertThat(direct.exitCode).as(direct.stderr).isZero();
    assertThat(direct.count("pages")).as("at least 300 real pages and the samples").isGreaterThanOrEqualTo(300 + 11);
    directVectors = vectors(direct);
  }

  static String[] onCluster(String... args) {
    List<String> all = new ArrayList<>(List.of("--input=" + input, "--model=" + MODEL, "--writeImages=false",
        "--runner=FlinkRunner", "--flinkMaster=" + master, "--cpuThreads=1"));
    all.addAll(List.of(args));
    return all.toArray(new String[0]);
  }

  static Map<String, float[]> vectors(IngestRun run) throws IOException {
    Map<String, float[]> out = new HashMap<>();
    for (JsonNode v : run.vectors()) {
      float[] vector = new float[v.get("vector").size()];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = (float) v.get("vector").get(i).asDouble();
      }
      assertThat(out.put(v.get("id").asText(), vector)).as("duplicate id %s", v.get("id").asText()).isNull();
    }
    return out;
  }

  @Test
  @Order(1)
  void theClusterWritesTheSameIdsAndVectorsAsTheDirectRunner() throws Exception {
    IngestRun flink = IngestRun.ingest(dir.resolve("flink"), onCluster());
    assertThat(flink.exitCode).as(flink.stderr).isZero();
    assertThat(flink.summary.get("runner").asText()).isEqualTo("flink " + master);
    Map<String, float[]> clusterVectors = vectors(flink);
    assertThat(clusterVectors.keySet()).isEqualTo(directVectors.keySet());
    double max = 0;
    for (Map.Entry<String, float[]> e : clusterVectors.entrySet()) {
      float[] d = directVectors.get(e.getKey());
      for (int i = 0; i < d.length; i++) {
        max = Math.max(max, Math.abs(d[i] - e.getValue()[i]));
      }
    }
    System.out.printf("cluster vs DirectRunner: %d vectors, max abs difference %.2e%n", clusterVectors.size(), max);
    assertThat(max).as("each vector the same to 1e-5").isLessThanOrEqualTo(1e-5);
    for (String key : List.of("files_seen", "files_ok", "pages", "text_chunks", "embedded_images", "ocr_pages",
        "images_without_text", "vectors_written", "dead_letters")) {
      assertThat(flink.count(key)).as(key).isEqualTo(direct.count(key));
    }
    // one model per TaskManager JVM, whatever the number of slots and bundles
    assertThat(flink.count("encoder_jvms")).isEqualTo(2);
    assertThat(flink.count("model_loads")).isEqualTo(flink.count("encoder_jvms"));
    assertThat(flink.stdout + flink.stderr).doesNotContain("already loaded in another classloader");
  }

  @Test
  @Order(2)
  void milvusGetsTheSameCountFromTheCluster() throws Exception {
    String collection = TestServers.uniqueCollection("flink");
    IngestRun run = IngestRun.ingest(dir.resolve("milvus"), onCluster("--sink=milvus://"
        + TestServers.address("MILVUS") + "/" + collection));
    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(count(TestServers.connector("milvus", collection))).isEqualTo(direct.count("vectors_written"));
  }

  @Test
  @Order(3)
  void aSecondSubmissionOfTheSameJobToTheSameClusterLeavesChromasCountUnchanged() throws Exception {
    String collection = TestServers.uniqueCollection("flink");
    String[] args = onCluster("--sink=chroma://" + TestServers.address("CHROMA") + "/" + collection);
    IngestRun first = IngestRun.ingest(dir.resolve("chroma-1"), args);
    assertThat(first.exitCode).as(first.stderr).isZero();
    StoreConnector chroma = TestServers.connector("chroma", collection);
    assertThat(count(chroma)).isEqualTo(direct.count("vectors_written"));
    // the natives sit on the cluster's classpath, so a new job classloader on the same TaskManagers works
    // --full: the same work again, not an incremental run that finds everything unchanged
    IngestRun second = IngestRun.ingest(dir.resolve("chroma-2"), append(args, "--full=true"));
    assertThat(second.exitCode).as(second.stderr).isZero();
    assertThat(second.count("vectors_written")).isEqualTo(first.count("vectors_written"));
    assertThat(count(chroma)).as("upserts by id: the same records again").isEqualTo(direct.count("vectors_written"));
  }

  @Test
  @Order(4)
  void badInputEndsAsTheSameDeadLettersAsOnTheDirectRunner(@TempDir Path bad) throws Exception {
    String good = "A good page about harbour tide gauges and their drift. ".repeat(30);
    TestPdfs.write(bad, "good.pdf", TestPdfs.text(good));
    TestPdfs.write(bad, "notes.pdf", "quarterly notes, plain text\n".getBytes(StandardCharsets.UTF_8));
    TestPdfs.write(bad, "empty.pdf", new byte[0]);
    TestPdfs.write(bad, "truncated.pdf", Arrays.copyOf(TestPdfs.text(good), 40));
    TestPdfs.write(bad, "locked.pdf", TestPdfs.encrypted(TestPdfs.text("Salaries 2026.")));
    TestPdfs.write(bad, "huge-image.pdf", TestPdfs.hugeImage(20_000));
    TestPdfs.write(bad, "broken-xref.pdf", TestPdfs.brokenXref(TestPdfs.text(good, "second page")));
    String[] common = {"--input=" + bad, "--model=" + MODEL, "--writeImages=false"};
    IngestRun onDirect = IngestRun.ingest(dir.resolve("bad-direct"), common);
    List<String> clusterArgs = new ArrayList<>(Arrays.asList(common));
    clusterArgs.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=" + master, "--cpuThreads=1"));
    IngestRun onCluster = IngestRun.ingest(dir.resolve("bad-flink"), clusterArgs.toArray(new String[0]));
    assertThat(onDirect.exitCode).as(onDirect.stderr).isZero();
    assertThat(onCluster.exitCode).as(onCluster.stderr).isZero();
    Set<String> expected = deadLetters(onDirect);
    assertThat(expected).hasSizeGreaterThanOrEqualTo(5);
    assertThat(deadLetters(onCluster)).isEqualTo(expected);
    assertThat(onCluster.count("files_seen")).isEqualTo(7);
    assertThat(onCluster.count("files_failed")).isEqualTo(onDirect.count("files_failed")).isGreaterThanOrEqualTo(4);
  }

  /** Each dead letter as file, stage, kind, page and element (messages name paths and may differ). */
  static Set<String> deadLetters(IngestRun run) throws IOException {
    Set<String> out = new TreeSet<>();
    for (JsonNode d : run.deadLetters()) {
      out.add(Path.of(d.get("file").asText()).getFileName() + " " + d.get("stage").asText() + " "
          + d.get("error_kind").asText() + " " + d.path("page").asInt() + " " + d.path("element").asText(""));
    }
    return out;
  }

  @Test
  @Order(5)
  void aTaskManagerKilledMidRunLosesNothingAndDuplicatesNothing() throws Exception {
    // two of the four slots: the survivor has a spare slot for the failed region
    CompletableFuture<IngestRun> running = CompletableFuture.supplyAsync(() -> {
      try {
        return IngestRun.ingest(dir.resolve("failover"), onCluster("--workers=2"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (encodedSoFar() == 0 && System.nanoTime() < deadline && !running.isDone()) {
        Thread.sleep(500);
      }
      assertThat(running.isDone()).as("the job is still running when the TaskManager dies").isFalse();
      long pid = Long.parseLong(clusterEnv().get("FLINK_TM2_PID"));
      ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
      System.out.printf("killed TaskManager 2 (PID %d) after %d vectors%n", pid, encodedSoFar());
      IngestRun run = running.get(15, TimeUnit.MINUTES);
      assertThat(run.exitCode).as(run.stderr).isZero();
      Map<String, float[]> written = vectors(run); // fails on a duplicate id
      assertThat(written.keySet()).as("exactly the expected ids: no gaps").isEqualTo(directVectors.keySet());
      assertThat(run.count("vectors_written")).isEqualTo(direct.count("vectors_written"));
    } finally {
      restartTaskManager2();
    }
  }

  /** Vectors the running pagebeam job's encoder has put out so far (0 before it started). */
  static long encodedSoFar() {
    try {
      long total = 0;
      for (JsonNode job : rest("/jobs/overview").path("jobs")) {
        if (!job.path("state").asText().equals("RUNNING")) {
          continue;
        }
        for (JsonNode v : rest("/jobs/" + job.path("jid").asText()).path("vertices")) {
          String name = v.path("name").asText();
          if (name.contains("EncodePdfElements/EncodeBatches") && !name.contains("EncodeBatches.out")) {
            total += v.path("metrics").path("write-records").asLong();
          }
        }
      }
      return total;
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  static JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + master + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return IngestRun.JSON.readTree(r.body());
  }

  /** What runner-configs/flink/local-cluster.sh env prints: FLINK_MASTER, the PIDs. */
  static Map<String, String> clusterEnv() throws Exception {
    Process p = new ProcessBuilder(Corpus.home().resolve("runner-configs/flink/local-cluster.sh").toString(), "env")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines().filter(l -> l.contains("=")).collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
        l -> l.substring(l.indexOf('=') + 1)));
  }

  static void restartTaskManager2() throws Exception {
    Process p = new ProcessBuilder(Corpus.home().resolve("runner-configs/flink/local-cluster.sh").toString(),
        "start-taskmanager", "2").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  static long count(StoreConnector connector) throws IOException {
    try (VectorStore store = connector.open()) {
      return store.count();
    }
  }

  private static String[] append(String[] args, String... more) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
        .toArray(String[]::new);
  }
}

package dev.pagebeam.pipeline.runner;

import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import dev.pagebeam.transforms.encode.EncodeCounters;
import dev.pagebeam.transforms.split.SplitCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place that reads or writes a runner's own options (DirectOptions,
 * FlinkPipelineOptions): pagebeam's defaults for the runner chosen with {@code --runner}, and
 * {@code --workers} resolved to the parallelism the job will have, which the transforms take from
 * PagebeamOptions alone.
 */
public final class RunnerSetup {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerSetup.class);
  /** Where {@code mvn -Pflink-job package} leaves the job jar staged to Flink clusters. */
  static final String FLINK_JOB_JAR = "runner-configs/target/pagebeam-flink-job.jar";

  private RunnerSetup() {}

  /** What kind of runner a pipeline runs on. */
  public enum Kind {
    DIRECT,
    FLINK_LOCAL,
    FLINK_CLUSTER
  }

  public static Kind kind(PagebeamOptions options) {
    if (options.getRunner() == FlinkRunner.class) {
      String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
      return isLocal(master) ? Kind.FLINK_LOCAL : Kind.FLINK_CLUSTER;
    }
    if (options.getRunner() != DirectRunner.class) {
      throw new IllegalArgumentException("--runner=" + options.getRunner().getSimpleName()
          + " is not supported: pagebeam runs on the DirectRunner (the default) and the FlinkRunner");
    }
    return Kind.DIRECT;
  }

  private static boolean isLocal(String master) {
    return master == null || List.of("[local]", "[auto]", "[collection]").contains(master);
  }

  /** The runner's name and, for a cluster, its address (SUMMARY's runner). */
  public static String describe(PagebeamOptions options) {
    switch (kind(options)) {
      case FLINK_CLUSTER:
        return "flink " + options.as(FlinkPipelineOptions.class).getFlinkMaster();
      case FLINK_LOCAL:
        return "flink [local]";
      default:
        return "direct";
    }
  }

  /** Applies pagebeam's defaults to the chosen runner and sets {@code --workers} to its parallelism. */
  public static void configure(PagebeamOptions options, String[] args) {
    if (options.getWorkers() < 0) {
      throw new IllegalArgumentException("--workers=" + options.getWorkers() + " must be 0 (the runner's default) or more");
    }
    Kind kind = kind(options);
    if (options.getEncoderBatching().equalsIgnoreCase("auto")) {
      // The DirectRunner's bundles are small: keyed state keeps batches full across them. In
      // Flink's batch mode a task is one bundle: batching in it needs no shuffle and lets
      // encoding overlap splitting, where keyed state would wait for a sort of every element.
      options.setEncoderBatching(kind == Kind.DIRECT ? "keyed" : "bundle");
    }
    switch (kind) {
      case DIRECT:
        configureDirect(options.as(DirectOptions.class), options, args);
        break;
      case FLINK_LOCAL:
      case FLINK_CLUSTER:
        configureFlink(options.as(FlinkPipelineOptions.class), options, args);
        break;
      default:
        throw new IllegalStateException();
    }
  }

  private static void configureDirect(DirectOptions direct, PagebeamOptions options, String[] args) {
    // The per-element immutability and encodability checks copy every element: they are for tests.
    if (!mentions(args, "enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!mentions(args, "enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!mentions(args, "blockOnRun")) {
      direct.setBlockOnRun(false);
    }
    if (options.getWorkers() > 0) {
      direct.setTargetParallelism(options.getWorkers());
    } else if (!mentions(args, "targetParallelism") && options.getEncode()) {
      // The DirectRunner's scheduler busy-waits on a free worker thread while a bundle runs; with
      // one worker thread ONNX Runtime's own threads get every core (docs/BENCHMARKS.md).
      direct.setTargetParallelism(1);
    }
    options.setWorkers(direct.getTargetParallelism());
  }

  private static void configureFlink(FlinkPipelineOptions flink, PagebeamOptions options, String[] args) {
    boolean cluster = !isLocal(flink.getFlinkMaster());
    if (cluster && (flink.getFilesToStage() == null || flink.getFilesToStage().isEmpty())) {
      Path jar = Path.of(System.getProperty("pagebeam.home", ".")).resolve(FLINK_JOB_JAR);
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("the Flink job jar " + jar + " is missing: build it with"
            + " 'mvn -Pflink-job -DskipTests package' (bin/pagebeam does it when --runner=FlinkRunner), or pass"
            + " --filesToStage=JAR");
      }
      flink.setFilesToStage(List.of(jar.toString()));
    }
    if (!cluster && flink.getFlinkConfDir() == null && System.getenv("FLINK_CONF_DIR") == null) {
      // The embedded cluster binds the wildcard address unless told otherwise.
      flink.setFlinkConfDir(loopbackConfDir().toString());
    }
    if (options.getWorkers() > 0) {
      flink.setParallelism(options.getWorkers());
    } else if (flink.getParallelism() <= 0) {
      flink.setParallelism(cluster ? clusterSlots(flink.getFlinkMaster()) : Runtime.getRuntime().availableProcessors());
    }
    options.setWorkers(flink.getParallelism());
    if (!flink.getAttachedMode()) {
      throw new IllegalArgumentException("--attachedMode=false is not supported: pagebeam waits for the job to"
          + " report its SUMMARY (run the command in the background instead)");
    }
    if (!mentions(args, "fasterCopy")) {
      // pagebeam's elements are immutable: no defensive copy between chained operators.
      flink.setFasterCopy(true);
    }
    if (!mentions(args, "jobName")) {
      flink.setJobName("pagebeam-ingest-" + System.currentTimeMillis());
    }
    LOG.info("runner: Flink {} with parallelism {}{}", cluster ? "cluster at " + flink.getFlinkMaster() : "[local]",
        flink.getParallelism(), cluster ? ", job jar " + flink.getFilesToStage() : "");
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Flink's default REST port, where a configuration names none. */
  static final int DEFAULT_REST_PORT = 8081;

  /**
   * The REST port of the embedded cluster ([local]): the one its configuration gives (ours from
   * {@link #loopbackConfDir}, or the user's --flinkConfDir / FLINK_CONF_DIR), else Flink's default.
   */
  static int localRestPort(FlinkPipelineOptions flink) {
    String dir = flink.getFlinkConfDir() != null ? flink.getFlinkConfDir() : System.getenv("FLINK_CONF_DIR");
    if (dir == null) {
      return DEFAULT_REST_PORT;
    }
    for (String name : List.of("config.yaml", "flink-conf.yaml")) {
      Path file = Path.of(dir, name);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(file)) {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*rest\\.port\\s*:\\s*(\\d+)\\s*$")
              .matcher(line);
          if (m.matches()) {
            return Integer.parseInt(m.group(1));
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot read {}: {}; progress is asked of port {}", file, e.getMessage(), DEFAULT_REST_PORT);
      }
      return DEFAULT_REST_PORT;
    }
    return DEFAULT_REST_PORT;
  }

  /**
   * A Flink configuration that keeps an embedded cluster ([local]) on 127.0.0.1, its REST API on a
   * port free when the configuration is written (read back by {@link #localRestPort}).
   */
  static Path loopbackConfDir() {
    try {
      Path dir = Files.createTempDirectory("pagebeam-flink-conf");
      Files.writeString(dir.resolve("config.yaml"), String.join("\n",
          "jobmanager.rpc.address: 127.0.0.1",
          "jobmanager.bind-host: 127.0.0.1",
          "taskmanager.host: 127.0.0.1",
          "taskmanager.bind-host: 127.0.0.1",
          "rest.address: 127.0.0.1",
          "rest.bind-address: 127.0.0.1",
          "rest.port: " + freePort(),
          "") + "\n");
      dir.toFile().deleteOnExit();
      dir.resolve("config.yaml").toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a Flink configuration for [local]: " + e.getMessage(), e);
    }
  }

  /** Receives a reading of the running job every few seconds. */
  public interface ProgressListener {
    void progress(Progress.Snapshot snapshot);
  }

  /**
   * Runs the pipeline to its end, reporting progress every {@link Progress#INTERVAL_SECONDS}. The
   * DirectRunner reports its metrics while it runs; a Flink job blocks the launcher until it ends
   * (attached), so it runs on a thread of its own while the JobManager's REST API is asked how far
   * it got ({@code modelEncodesImages} tells it which of the split's elements become vectors).
   * Throws when the job did not finish.
   */
  public static PipelineResult run(Pipeline pipeline, PagebeamOptions options, boolean modelEncodesImages,
      ProgressListener listener) {
    if (kind(options) == Kind.DIRECT) {
      PipelineResult result = pipeline.run();
      PipelineResult.State state;
      while ((state = result.waitUntilFinish(org.joda.time.Duration.standardSeconds(Progress.INTERVAL_SECONDS)))
          == null || !state.isTerminal()) {
        listener.progress(DirectProgress.read(result));
      }
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the pipeline ended in state " + state);
      }
      return result;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String rest = kind(options) == Kind.FLINK_CLUSTER ? flink.getFlinkMaster() : "127.0.0.1:" + localRestPort(flink);
    FlinkProgress monitor = new FlinkProgress(rest, flink.getJobName(), modelEncodesImages);
    ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "flink-job");
      t.setDaemon(true);
      return t;
    });
    try {
      java.util.concurrent.Callable<PipelineResult> run = pipeline::run;
      Future<PipelineResult> job = runner.submit(run);
      while (true) {
        try {
          return job.get(Progress.INTERVAL_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException stillRunning) {
          monitor.read().ifPresent(listener::progress);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw cause instanceof RuntimeException ? (RuntimeException) cause
              : new IllegalStateException("the Flink job failed: " + cause, cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while the Flink job ran", e);
        }
      }
    } finally {
      runner.shutdownNow();
    }
  }

  /** Progress from the Beam metrics of a running DirectRunner pipeline. */
  static final class DirectProgress {
    private DirectProgress() {}

    static Progress.Snapshot read(PipelineResult result) {
      java.util.Map<String, Long> c = RunCounters.read(result);
      return new Progress.Snapshot(c.getOrDefault(SplitCounters.FILES_SEEN, 0L), c.getOrDefault(SplitCounters.PAGES, 0L),
          c.getOrDefault(EncodeCounters.ENCODER_INPUT, 0L), c.getOrDefault(EncodeCounters.ENCODED, 0L),
          c.getOrDefault(EncodeCounters.ENCODED, 0L), c.getOrDefault(SplitCounters.DEAD_LETTERS, 0L))
          .withOcrCounters(c);
    }
  }

  /** The slots of a Flink cluster, from its REST API: a job without --workers uses them all. */
  static int clusterSlots(String master) {
    JsonNode overview = FlinkRest.get(master, "/overview");
    int slots = overview.path("slots-total").asInt(0);
    if (slots < 1) {
      throw new IllegalArgumentException("the Flink cluster at " + master + " has no task slots (no TaskManager is"
          + " registered): start its TaskManagers, or pass --workers=N");
    }
    return slots;
  }

  public static boolean mentions(String[] args, String option) {
    return Arrays.stream(args).anyMatch(a -> a.startsWith("--" + option + "=") || a.equals("--" + option));
  }

  /** GET requests to a Flink cluster's REST API. */
  static final class FlinkRest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FlinkRest() {}

    static JsonNode get(String master, String path) {
      String base = master.toLowerCase(Locale.ROOT).startsWith("http") ? master : "http://" + master;
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalArgumentException("the Flink cluster at " + master + " answered HTTP " + r.statusCode()
              + " to " + path);
        }
        return Json.MAPPER.readTree(r.body());
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot reach the Flink cluster at " + master + " (" + e.getMessage()
            + "): start it (runner-configs/flink/local-cluster.sh start) or fix --flinkMaster", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while asking the Flink cluster at " + master, e);
      }
    }
  }
}

package dev.pagebeam.pipeline.runner;

import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.transforms.core.PagebeamCounters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.pagebeam.transforms.split.SplitCounters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a running Flink job got, from the JobManager's REST API. Two sources:
 *
 * <ul>
 *   <li>the record counts of the job's vertices, live where the producer counts them: files are the
 *       records handed to ExtractPages; vectors are what EncodeBatches put out. The encoder's input
 *       is what KeyByShard sent on (keyed batching, which sends only what is encoded); with bundle
 *       batching it is the vectors the split's counters predict, once every producer feeding
 *       EncodeBatches has finished (see {@link Progress#expectedVectors});
 *   <li>Beam's counters, which reach Flink's accumulators when a task ends (in batch mode a task is
 *       a whole stage of one subtask): pages and dead letters appear once the split tasks that
 *       counted them have finished, and grow as more do.
 * </ul>
 */
final class FlinkProgress {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkProgress.class);
  static final String FILES_VERTEX = "SplitPdfs/SpreadFiles/Values";
  static final String KEY_BY_SHARD_VERTEX = "EncodePdfElements/KeyByShard";
  static final String ENCODER_VERTEX = "EncodePdfElements/EncodeBatches";
  /** The accumulator Beam's FlinkRunner keeps its metrics in. */
  static final String BEAM_METRICS_ACCUMULATOR = "__metricscontainers";
  private static final String SUM_INT64 = "beam:metric:user:sum_int64:v1";
  private static final String FINISHED = "FINISHED";

  private final String rest;
  private final String jobName;
  private final boolean modelEncodesImages;
  private String jobId;
  private Map<String, List<String>> inputs;
  private boolean warned;

  FlinkProgress(String rest, String jobName, boolean modelEncodesImages) {
    this.rest = rest;
    this.jobName = jobName;
    this.modelEncodesImages = modelEncodesImages;
  }

  /** The job's progress, or empty when it is not (yet) known to the JobManager. */
  Optional<Progress.Snapshot> read() {
    try {
      if (jobId == null) {
        for (JsonNode job : RunnerSetup.FlinkRest.get(rest, "/jobs/overview").path("jobs")) {
          if (jobName.equals(job.path("name").asText())) {
            jobId = job.path("jid").asText();
          }
        }
        if (jobId == null) {
          return Optional.empty();
        }
      }
      if (inputs == null) {
        inputs = inputs(RunnerSetup.FlinkRest.get(rest, "/jobs/" + jobId + "/plan"));
      }
      JsonNode vertices = RunnerSetup.FlinkRest.get(rest, "/jobs/" + jobId).path("vertices");
      Map<String, Long> counters = beamCounters(RunnerSetup.FlinkRest.get(rest, "/jobs/" + jobId + "/accumulators"));
      return Optional.of(snapshot(vertices, inputs, counters, modelEncodesImages));
    } catch (RuntimeException e) {
      if (!warned) {
        LOG.warn("no progress from the Flink REST API at {}: {}", rest, e.getMessage());
        warned = true;
      }
      return Optional.empty();
    }
  }

  /** The progress shown by a job's vertices, their inputs in its plan and its finished tasks' counters. */
  static Progress.Snapshot snapshot(JsonNode vertices, Map<String, List<String>> inputs, Map<String, Long> counters,
      boolean modelEncodesImages) {
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode v : vertices) {
      byId.put(v.path("id").asText(), v);
    }
    long files = 0;
    long input = 0;
    boolean inputKnown = true;
    long taken = 0;
    long vectors = 0;
    for (JsonNode v : vertices) {
      String name = v.path("name").asText();
      JsonNode m = v.path("metrics");
      if (name.contains(FILES_VERTEX)) {
        files += m.path("read-records").asLong();
      }
      if (name.contains(KEY_BY_SHARD_VERTEX)) {
        // keyed batching: KeyByShard sends on only what is encoded, so the vectors measure it
        input += m.path("write-records").asLong();
      }
      if (name.contains(ENCODER_VERTEX) && !name.contains(ENCODER_VERTEX + ".out")) {
        // the encoder's outputs: the vectors and the few elements that failed to encode
        long out = m.path("write-records").asLong();
        vectors += out;
        List<String> from = inputs.getOrDefault(v.path("id").asText(), List.of());
        if (name.contains("GroupReduce")) {
          taken += out;
        } else if (from.isEmpty()) {
          input += m.path("read-records").asLong();
          taken += out;
        } else {
          // bundle batching routes inside the encoder, and its input holds page thumbnails a text
          // model skips: how fast its read count grows depends on where they fall in it (a
          // 12,000-document run into Milvus said "ETA 10 s" for 15 minutes while the encoder
          // worked). Its work is the vectors it made, against those the split's counters
          // predict; the counters are whole once every task that counts them has finished, and
          // until then there is no ETA.
          taken += out;
          long expected = Progress.expectedVectors(counters, modelEncodesImages);
          for (String id : from) {
            JsonNode producer = byId.getOrDefault(id, MissingNode.getInstance());
            inputKnown &= FINISHED.equals(producer.path("status").asText());
          }
          inputKnown &= expected >= 0;
          input += Math.max(0, expected);
        }
      }
    }
    long pages = counters.getOrDefault(SplitCounters.PAGES, -1L);
    long deadLetters = counters.getOrDefault(SplitCounters.DEAD_LETTERS, -1L);
    // OCR's counters, as the other counters here, arrive as its subtasks finish
    return new Progress.Snapshot(files, pages, inputKnown ? input : 0, taken, vectors, deadLetters)
        .withOcrCounters(counters);
  }

  /** Each vertex's inputs, from a job's plan ({@code /jobs/ID/plan}). */
  static Map<String, List<String>> inputs(JsonNode plan) {
    Map<String, List<String>> inputs = new HashMap<>();
    for (JsonNode node : plan.path("plan").path("nodes")) {
      List<String> from = new ArrayList<>();
      for (JsonNode in : node.path("inputs")) {
        from.add(in.path("id").asText());
      }
      inputs.put(node.path("id").asText(), from);
    }
    return inputs;
  }

  /**
   * pagebeam's counters from the tasks that have finished, summed over the steps that count them,
   * from Beam's accumulator in {@code /jobs/ID/accumulators}: its value is Beam's metrics as JSON,
   * each counter a base64 varint. Empty when the job has none yet, or when their form is not this.
   */
  static Map<String, Long> beamCounters(JsonNode accumulators) {
    Map<String, Long> counters = new HashMap<>();
    for (JsonNode a : accumulators.path("user-task-accumulators")) {
      if (!BEAM_METRICS_ACCUMULATOR.equals(a.path("name").asText())) {
        continue;
      }
      try {
        for (JsonNode metric : Json.MAPPER.readTree(a.path("value").asText()).path("metrics").path("attempted")) {
          JsonNode labels = metric.path("labels");
          if (SUM_INT64.equals(metric.path("urn").asText())
              && PagebeamCounters.NAMESPACE.equals(labels.path("NAMESPACE").asText())) {
            // Beam writes a sum_int64 counter's payload with VarLongCoder
            counters.merge(labels.path("NAME").asText(), VarLongCoder.of().decode(new ByteArrayInputStream(
                Base64.getDecoder().decode(metric.path("payload").asText()))), Long::sum);
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        return Map.of();
      }
    }
    return counters;
  }
}

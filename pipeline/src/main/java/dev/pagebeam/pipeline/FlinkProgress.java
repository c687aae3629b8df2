package dev.pagebeam.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a running Flink job got, from the JobManager's REST API: Beam's metrics reach Flink's
 * accumulators only when a task ends (in batch mode a task is a whole stage), but the record
 * counts of the job's vertices are live where they are counted by the producer (a consumer behind
 * a blocking exchange reads only once its producer has finished). Files are the records handed to
 * ExtractPages, the encoder's input what KeyByShard sent on (or, batching in bundles, what reached
 * EncodeBatches), vectors what EncodeBatches put out.
 */
final class FlinkProgress {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkProgress.class);
  static final String FILES_VERTEX = "SplitPdfs/SpreadFiles/Values";
  static final String KEY_BY_SHARD_VERTEX = "EncodePdfElements/KeyByShard";
  static final String ENCODER_VERTEX = "EncodePdfElements/EncodeBatches";

  private final String rest;
  private final String jobName;
  private String jobId;
  private boolean warned;

  FlinkProgress(String rest, String jobName) {
    this.rest = rest;
    this.jobName = jobName;
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
      long files = 0;
      long input = 0;
      long vectors = 0;
      for (JsonNode v : RunnerSetup.FlinkRest.get(rest, "/jobs/" + jobId).path("vertices")) {
        String name = v.path("name").asText();
        JsonNode m = v.path("metrics");
        if (name.contains(FILES_VERTEX)) {
          files += m.path("read-records").asLong();
        }
        if (name.contains(KEY_BY_SHARD_VERTEX)) {
          // keyed batching: what KeyByShard sends on
          input += m.path("write-records").asLong();
        }
        if (name.contains(ENCODER_VERTEX) && !name.contains(ENCODER_VERTEX + ".out")) {
          // the encoder's outputs: the vectors and the few elements that failed to encode; in-bundle
          // batching has no KeyByShard, and its input is what reaches the encoder
          vectors += m.path("write-records").asLong();
          if (!name.contains("GroupReduce")) {
            input += m.path("read-records").asLong();
          }
        }
      }
      return Optional.of(new Progress.Snapshot(files, -1, input, vectors, -1));
    } catch (RuntimeException e) {
      if (!warned) {
        LOG.warn("no progress from the Flink REST API at {}: {}", rest, e.getMessage());
        warned = true;
      }
      return Optional.empty();
    }
  }
}

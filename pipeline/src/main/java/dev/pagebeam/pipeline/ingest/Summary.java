package dev.pagebeam.pipeline.ingest;

import dev.pagebeam.pipeline.runner.RunCounters;

import dev.pagebeam.pipeline.incremental.Incremental;
import dev.pagebeam.pipeline.output.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.SinkCounters;
import dev.pagebeam.transforms.encode.EncodeCounters;
import dev.pagebeam.transforms.split.SplitCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;

/**
 * The run's counters as the one-line {@code SUMMARY {...}} that ends every job. Its name and keys
 * are a stable interface: scripts and tests parse it.
 */
public final class Summary {
  /** Counter keys every SUMMARY has, in order. */
  public static final List<String> COUNTER_KEYS = List.of(
      SplitCounters.FILES_SEEN,
      SplitCounters.FILES_OK,
      SplitCounters.FILES_FAILED,
      WriteLedger.FILES_WITHOUT_CONTENT,
      SplitCounters.PAGES,
      SplitCounters.PAGES_WITHOUT_TEXT,
      SplitCounters.TEXT_CHUNKS,
      SplitCounters.PAGE_IMAGES,
      SplitCounters.EMBEDDED_IMAGES,
      SplitCounters.DEAD_LETTERS,
      SplitCounters.OCR_PAGES,
      SplitCounters.OCR_SKIPPED_PAGES,
      SplitCounters.OCR_IMAGES,
      SplitCounters.IMAGES_WITHOUT_TEXT,
      SinkCounters.VECTORS_WRITTEN,
      EncodeCounters.TRUNCATED_CHUNKS,
      EncodeCounters.IMAGES_WITHOUT_ENCODER,
      EncodeCounters.MODEL_LOADS,
      SinkCounters.SINK_FAILURES,
      SinkCounters.UPSERT_REQUESTS,
      Incremental.DOCUMENTS_SKIPPED,
      Incremental.DOCUMENTS_ADDED,
      Incremental.DOCUMENTS_UPDATED,
      Incremental.DOCUMENTS_REMOVED);

  private final Map<String, Object> values = new LinkedHashMap<>();

  private Summary() {}

  /** Every counter SUMMARY reports (0 when no step counted it), and any other of pagebeam's. */
  public static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String key : COUNTER_KEYS) {
      counters.put(key, 0L);
    }
    RunCounters.read(result).forEach((name, value) -> counters.merge(name, value, Long::sum));
    return counters;
  }

  /**
   * The summary of a finished run.
   *
   * @param model the model id, or null when nothing was encoded
   * @param dimension the model's dimension, or 0 when nothing was encoded
   */
  public static Summary of(Map<String, Long> counters, double seconds, String model, int dimension) {
    Summary s = new Summary();
    for (String key : COUNTER_KEYS) {
      s.values.put(key, counters.getOrDefault(key, 0L));
    }
    s.values.put("dimension", model == null ? null : dimension);
    s.values.put("model", model);
    TreeSet<String> devices = new TreeSet<>();
    counters.forEach((name, value) -> {
      if (name.startsWith(EncodeCounters.DEVICE_PREFIX) && value > 0) {
        devices.add(name.substring(EncodeCounters.DEVICE_PREFIX.length()));
      }
    });
    s.values.put("device", devices.isEmpty() ? null : String.join(",", devices));
    s.values.put("encoder_jvms", counters.entrySet().stream()
        .filter(c -> c.getKey().startsWith(EncodeCounters.JVM_PREFIX) && c.getValue() > 0).count());
    long slots = counters.getOrDefault(EncodeCounters.BATCH_SLOTS, 0L);
    s.values.put("mean_batch_fill", slots == 0 ? null
        : Math.round(1000.0 * counters.getOrDefault(EncodeCounters.BATCH_SLOTS_USED, 0L) / slots) / 1000.0);
    s.values.put("seconds", Math.round(seconds * 100) / 100.0);
    return s;
  }

  /** Adds the sink the vectors went to (never with credentials). */
  public Summary withSink(String sink) {
    values.put("sink", sink);
    return this;
  }

  /** Adds the runner the job ran on ("direct", "flink HOST:PORT", "flink [local]"). */
  public Summary withRunner(String runner) {
    values.put("runner", runner);
    return this;
  }

  /** Adds a key of a command's own (reindex). */
  public Summary with(String key, Object value) {
    values.put(key, value);
    return this;
  }

  public long get(String key) {
    Object v = values.get(key);
    return v instanceof Number ? ((Number) v).longValue() : 0;
  }

  public Object value(String key) {
    return values.get(key);
  }

  public Map<String, Object> values() {
    return values;
  }

  /** {@code SUMMARY {"files_seen":5,...}} */
  public String line() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    values.forEach(n::putPOJO);
    return "SUMMARY " + Json.write(n);
  }
}

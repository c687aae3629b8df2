package dev.pagebeam.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.transforms.split.SplitCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The run's counters as the one-line {@code SUMMARY {...}} that ends every job. Its name and keys
 * are a stable interface: scripts and tests parse it.
 */
public final class Summary {
  /** Keys every SUMMARY has, in order. */
  public static final List<String> COUNTER_KEYS = List.of(
      SplitCounters.FILES_SEEN,
      SplitCounters.FILES_OK,
      SplitCounters.FILES_FAILED,
      SplitCounters.PAGES,
      SplitCounters.PAGES_WITHOUT_TEXT,
      SplitCounters.TEXT_CHUNKS,
      SplitCounters.PAGE_IMAGES,
      SplitCounters.EMBEDDED_IMAGES,
      SplitCounters.DEAD_LETTERS);

  private final Map<String, Object> values = new LinkedHashMap<>();

  private Summary() {}

  /** Reads the pagebeam counters of a (finished or running) pipeline. */
  public static Map<String, Long> counters(PipelineResult result) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(SplitCounters.NAMESPACE)).build());
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String key : COUNTER_KEYS) {
      counters.put(key, 0L);
    }
    for (MetricResult<Long> counter : metrics.getCounters()) {
      counters.merge(counter.getName().getName(), value(counter), Long::sum);
    }
    return counters;
  }

  private static long value(MetricResult<Long> counter) {
    try {
      Long committed = counter.getCommitted();
      return committed == null ? counter.getAttempted() : committed;
    } catch (UnsupportedOperationException e) {
      // runners without committed metrics (Flink's batch mode reports attempted)
      return counter.getAttempted();
    }
  }

  public static Summary of(Map<String, Long> counters, double seconds) {
    Summary s = new Summary();
    s.values.putAll(counters);
    s.values.put("seconds", Math.round(seconds * 100) / 100.0);
    return s;
  }

  public Summary with(String key, Object value) {
    values.put(key, value);
    return this;
  }

  public long get(String key) {
    Object v = values.get(key);
    return v instanceof Number ? ((Number) v).longValue() : 0;
  }

  public Map<String, Object> values() {
    return values;
  }

  /** {@code SUMMARY {"files_seen":5,...}} */
  public String line() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    values.forEach((k, v) -> n.putPOJO(k, v));
    return "SUMMARY " + Json.write(n);
  }
}

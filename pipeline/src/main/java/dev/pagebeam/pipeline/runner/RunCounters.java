package dev.pagebeam.pipeline.runner;

import dev.pagebeam.transforms.core.PagebeamCounters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** pagebeam's counters of a (finished or running) pipeline, by name, on any runner. */
public final class RunCounters {
  private RunCounters() {}

  /** Every counter of pagebeam's namespace, summed over the steps that count it; absent ones are absent. */
  public static Map<String, Long> read(PipelineResult result) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(PagebeamCounters.NAMESPACE)).build());
    Map<String, Long> counters = new LinkedHashMap<>();
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
}

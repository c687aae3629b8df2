package dev.pagebeam.pipeline.serve;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Requests, errors and latency percentiles per endpoint, over the last {@link #WINDOW} requests of each. */
final class ServeMetrics {
  static final int WINDOW = 4096;

  private static final class Endpoint {
    long requests;
    long errors;
    final double[] latencies = new double[WINDOW];
    int filled;
    int next;

    void add(double millis, boolean error) {
      requests++;
      errors += error ? 1 : 0;
      latencies[next] = millis;
      next = (next + 1) % WINDOW;
      filled = Math.min(WINDOW, filled + 1);
    }
  }

  private final Map<String, Endpoint> endpoints = new TreeMap<>();
  private final long started = System.nanoTime();

  synchronized void record(String endpoint, double millis, int status) {
    endpoints.computeIfAbsent(endpoint, e -> new Endpoint()).add(millis, status >= 400);
  }

  /** Per endpoint: requests, errors (4xx and 5xx) and p50/p90/p99 latency in milliseconds. */
  synchronized Map<String, Object> snapshot() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("uptime_s", (System.nanoTime() - started) / 1_000_000_000L);
    Map<String, Object> byEndpoint = new LinkedHashMap<>();
    endpoints.forEach((name, e) -> {
      double[] sorted = Arrays.copyOf(e.latencies, e.filled);
      Arrays.sort(sorted);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requests", e.requests);
      m.put("errors", e.errors);
      m.put("latency_ms_p50", percentile(sorted, 0.50));
      m.put("latency_ms_p90", percentile(sorted, 0.90));
      m.put("latency_ms_p99", percentile(sorted, 0.99));
      byEndpoint.put(name, m);
    });
    all.put("endpoints", byEndpoint);
    return all;
  }

  /** The nearest-rank percentile of sorted values, rounded to 0.1 ms; 0 when there are none. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return Math.round(sorted[Math.max(0, rank - 1)] * 10) / 10.0;
  }
}

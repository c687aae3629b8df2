package dev.pagebeam.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** --key=value arguments of the benchmark commands; unknown keys are errors, never ignored. */
final class BenchArgs {
  private final Map<String, String> values = new HashMap<>();

  BenchArgs(String[] args, Set<String> known) {
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("expected --key=value, got '" + a + "'");
      }
      String key = a.substring(2, a.indexOf('='));
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
      }
      values.put(key, a.substring(a.indexOf('=') + 1));
    }
  }

  String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  int getInt(String key, int fallback) {
    return Integer.parseInt(values.getOrDefault(key, Integer.toString(fallback)));
  }
}

package dev.pagebeam.bench;

import java.util.Arrays;
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

  /** What a benchmark does with its arguments. */
  interface Body {
    void run(BenchArgs args) throws Exception;
  }

  /**
   * Runs a benchmark's main: --help prints the usage; a bad argument prints what is wrong and the
   * usage, and exits 2 (no stack trace).
   */
  static void main(String command, String usage, String[] args, Set<String> known, Body body) throws Exception {
    if (Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
      System.out.println(usage);
      return;
    }
    BenchArgs parsed;
    try {
      parsed = new BenchArgs(args, known);
    } catch (IllegalArgumentException e) {
      System.err.println(command + ": " + e.getMessage() + "\n" + usage);
      System.exit(2);
      return;
    }
    try {
      body.run(parsed);
    } catch (IllegalArgumentException e) {
      System.err.println(command + ": " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * The database server a benchmark writes to: {@code --sink=chroma|milvus} (default chroma), at
   * {@code --chroma=} or {@code --milvus=HOST:PORT}, else $CHROMA or $MILVUS. Returns
   * {@code {kind, HOST:PORT}}.
   */
  String[] server() {
    String kind = get("sink", "chroma");
    if (!kind.equals("chroma") && !kind.equals("milvus")) {
      throw new IllegalArgumentException("--sink=" + kind + " is not chroma or milvus");
    }
    String address = get(kind, System.getenv().getOrDefault(kind.toUpperCase(java.util.Locale.ROOT), ""));
    if (address.isEmpty()) {
      throw new IllegalArgumentException("no " + kind + " server: run `eval \"$(scripts/test-servers.sh start)\"`"
          + " (sets CHROMA and MILVUS) or pass --" + kind + "=HOST:PORT");
    }
    return new String[] {kind, address};
  }

  String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /** A value the benchmark cannot run without: its absence is a usage error. */
  String require(String key) {
    String v = values.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("--" + key + "= is required");
    }
    return v;
  }

  int getInt(String key, int fallback) {
    String v = values.getOrDefault(key, Integer.toString(fallback));
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + "=" + v + " is not a whole number");
    }
  }
}

package dev.pagebeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.samples.DamagedCorpus;
import dev.pagebeam.samples.HostileCorpus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code bin/pagebeam bench-hostile}: {@code bin/pagebeam ingest} over a hostile corpus (the
 * hand-made attacks of {@link HostileCorpus} and real manuals' pages damaged by
 * {@link DamagedCorpus}), with pagebeam's default heap and with the JVM's own default (a quarter of
 * the machine's memory), side by side in one run: exit code, wall time, peak RSS, ledger lines and
 * how the files ended, the slowest file's split time.
 */
public final class BenchHostile {
  private BenchHostile() {}

  static final String USAGE = "usage: bin/pagebeam bench-hostile [--damaged=500] [--source=tools/corpus/pdf]"
      + " [--corpus=tools/bench-hostile] [--baseline=true]\n  ingest over the hostile corpus with pagebeam's default"
      + " heap and (--baseline) the JVM's default heap; see docs/BENCHMARKS.md";

  public static void main(String[] args) throws Exception {
    BenchArgs.main("bench-hostile", USAGE, args, Set.of("damaged", "source", "corpus", "baseline"), a -> {
      Path home = Path.of(System.getProperty("pagebeam.home", "."));
      Path corpus = home.resolve(a.get("corpus", "tools/bench-hostile"));
      int damaged = Integer.parseInt(a.get("damaged", "500"));
      Path source = home.resolve(a.get("source", "tools/corpus/pdf"));
      deleteTree(corpus);
      int handmade = HostileCorpus.write(corpus.resolve("handmade")).size();
      int cut = DamagedCorpus.write(source, damaged, corpus.resolve("damaged"), 18).size();
      System.out.printf("bench-hostile: %d hand-made hostile PDFs + %d damaged pages of real manuals in %s%n",
          handmade, cut, corpus);
      System.out.printf("CPU: %s, %d cores%n", cpu(), Runtime.getRuntime().availableProcessors());

      List<Result> results = new ArrayList<>();
      results.add(ingest(home, corpus, "pagebeam default heap", Map.of()));
      if (Boolean.parseBoolean(a.get("baseline", "true"))) {
        results.add(ingest(home, corpus, "JVM default heap", Map.of("PAGEBEAM_HEAP", "jvm")));
      }
      System.out.printf("%n%-22s %5s %8s %11s %7s %8s %7s %7s %7s %13s%n", "run", "exit", "wall s", "peak RSS GB",
          "ledger", "indexed", "failed", "no text", "dead l.", "slowest file s");
      for (Result r : results) {
        System.out.printf(Locale.ROOT, "%-22s %5d %8.1f %11.2f %7d %8d %7d %7d %7d %13.1f%n", r.name, r.exit,
            r.seconds, r.peakKb / 1048576.0, r.ledgerLines, r.status.getOrDefault("indexed", 0),
            r.status.getOrDefault("failed", 0), r.status.getOrDefault("no_searchable_content", 0), r.deadLetters,
            r.slowest);
      }
      if (results.size() == 2) {
        System.out.printf(Locale.ROOT, "peak RSS, pagebeam default / JVM default: %.2f; wall: %.2f%n",
            (double) results.get(0).peakKb / results.get(1).peakKb, results.get(0).seconds / results.get(1).seconds);
      }
      System.out.println("error kinds (pagebeam default heap): " + results.get(0).kinds);
      System.out.println("slowest file: " + results.get(0).slowestFile);
    });
  }

  /** What one ingest did, from its exit, its ledger and its dead letters. */
  static final class Result {
    String name;
    int exit;
    double seconds;
    long peakKb;
    int ledgerLines;
    long deadLetters;
    final Map<String, Integer> status = new TreeMap<>();
    final Map<String, Integer> kinds = new TreeMap<>();
    double slowest;
    String slowestFile;
  }

  private static Result ingest(Path home, Path corpus, String name, Map<String, String> env) throws Exception {
    Path output = Files.createTempDirectory("pagebeam-bench-hostile");
    List<String> command = List.of("/usr/bin/time", "-f", "PEAK_KB %M", home.resolve("bin/pagebeam").toString(),
        "ingest", "--input=" + corpus, "--output=" + output);
    System.out.printf("%n== %s: %s%n", name, String.join(" ", command.subList(3, command.size())));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PAGEBEAM_NO_BUILD", "1");
    pb.environment().putAll(env);
    Result r = new Result();
    r.name = name;
    long start = System.nanoTime();
    Process process = pb.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.contains("progress:") || line.startsWith("SUMMARY ") || line.contains("WARN")
            || line.contains("pagebeam ingest:")) {
          System.out.println("  " + line);
        } else if (line.startsWith("PEAK_KB ")) {
          r.peakKb = Long.parseLong(line.substring("PEAK_KB ".length()).trim());
        }
      }
    }
    r.exit = process.waitFor();
    r.seconds = (System.nanoTime() - start) / 1e9;
    ObjectMapper json = new ObjectMapper();
    for (JsonNode line : lines(output.resolve("ledger"), json)) {
      r.ledgerLines++;
      r.status.merge(line.get("status").asText(), 1, Integer::sum);
      double split = line.path("split_seconds").asDouble();
      if (split > r.slowest) {
        r.slowest = split;
        r.slowestFile = Path.of(line.get("source").asText()).getFileName() + " " + line.get("status").asText()
            + (line.has("reason") ? ": " + line.get("reason").asText() : "");
      }
    }
    for (JsonNode d : lines(output.resolve("dead-letters"), json)) {
      r.deadLetters++;
      r.kinds.merge(d.get("error_kind").asText(), 1, Integer::sum);
    }
    deleteTree(output);
    return r;
  }

  private static List<JsonNode> lines(Path dir, ObjectMapper json) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jsonl"))::iterator) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            all.add(json.readTree(line));
          }
        }
      }
    }
    return all;
  }

  static String cpu() throws Exception {
    String model = "?";
    boolean avx512 = false;
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name") && model.equals("?")) {
        model = line.substring(line.indexOf(':') + 1).trim();
      } else if (line.startsWith("flags")) {
        avx512 |= line.contains("avx512");
      }
    }
    return model + (avx512 ? " (AVX-512)" : " (no AVX-512)");
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}

package dev.pagebeam.bench;

import dev.pagebeam.io.store.Fusion;
import dev.pagebeam.io.store.Rankings;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.pipeline.options.EvalOptions;
import dev.pagebeam.pipeline.search.Evaluation;
import dev.pagebeam.pipeline.search.QueryShape;
import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.pipeline.search.Searcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bin/pagebeam bench-fusion}: fusion functions compared on question sets, side by side in one
 * run. Each question's dense and BM25 rankings are fetched once, {@code --depth} deep, and every
 * function fuses the same two lists, so the table differs only by the function. For each set and
 * function: recall@k, MRR@10, and hybrid's margin over the better of dense and lexical in
 * questions (the rule: at least -1).
 */
public final class BenchFusion {
  private BenchFusion() {}

  static final String USAGE = "usage: bin/pagebeam bench-fusion --sink=URI [--queries=FILE,FILE...] [--k=5]"
      + " [--depth=100] [--copyFrom=DIR]\n  --copyFrom fills a new Chroma or Milvus --sink with a file sink's vectors first\n  fusion functions on the same dense and BM25 rankings; see docs/BENCHMARKS.md";

  static final List<String> DEFAULT_QUERIES = List.of("docs/eval/manuals-verbatim.tsv",
      "docs/eval/manuals-paraphrased.tsv");

  /** A fusion function under test, or dense or lexical alone (fusion null). */
  private static final class Method {
    final String name;
    final SearchMode mode;
    final Fusion fusion;

    Method(String name, SearchMode mode, Fusion fusion) {
      this.name = name;
      this.mode = mode;
      this.fusion = fusion;
    }

    /** For auto: the dense weight of queries that lean lexical; NaN for the product's own. */
    double lean = Double.NaN;

    Method lean(double weight) {
      this.lean = weight;
      return this;
    }

    List<SearchHit> rank(Rankings r, String text, int depth) {
      if (mode == SearchMode.AUTO && !Double.isNaN(lean)) {
        return (QueryShape.of(text).leansLexical() ? fusion.withDenseWeight(lean) : fusion).fuse(r, depth);
      }
      return Searcher.ranked(mode, r, text, depth, fusion);
    }
  }

  static List<Method> methods() {
    List<Method> m = new ArrayList<>();
    m.add(new Method("dense", SearchMode.DENSE, null));
    m.add(new Method("lexical", SearchMode.LEXICAL, null));
    for (int depth : new int[] {10, 20, 50, 100}) {
      m.add(new Method("rrf w=0.5 depth=" + depth, SearchMode.HYBRID, Fusion.of("rrf", 0.5, depth)));
    }
    for (double w : new double[] {0.3, 0.7}) {
      m.add(new Method(String.format(Locale.ROOT, "rrf w=%.1f depth=50", w), SearchMode.HYBRID,
          Fusion.of("rrf", w, 50)));
    }
    for (double w : new double[] {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}) {
      m.add(new Method(String.format(Locale.ROOT, "convex w=%.1f depth=50", w), SearchMode.HYBRID,
          Fusion.of("convex", w, 50)));
    }
    for (int depth : new int[] {20, 100}) {
      m.add(new Method("convex w=0.5 depth=" + depth, SearchMode.HYBRID, Fusion.of("convex", 0.5, depth)));
    }
    for (double w : new double[] {0.3, 0.5, 0.7}) {
      m.add(new Method(String.format(Locale.ROOT, "zscore w=%.1f depth=50", w), SearchMode.HYBRID,
          Fusion.of("zscore", w, 50)));
    }
    for (double lean : new double[] {0.2, 0.3, 0.4}) {
      m.add(new Method(String.format(Locale.ROOT, "auto lean=%.1f", lean), SearchMode.AUTO,
          Fusion.DEFAULT).lean(lean));
    }
    return m;
  }

  public static void main(String[] args) throws Exception {
    BenchArgs.main("bench-fusion", USAGE, args, Set.of("sink", "queries", "k", "depth", "copyFrom"), a -> {
      String sink = a.get("sink", "");
      if (sink.isEmpty()) {
        throw new IllegalArgumentException("give --sink=URI, a collection ingested with the default model");
      }
      if (!a.get("copyFrom", "").isEmpty()) {
        copy(Path.of(a.get("copyFrom", "")), sink);
      }
      List<String> files = a.get("queries", "").isEmpty() ? DEFAULT_QUERIES : List.of(a.get("queries", "").split(","));
      int k = a.getInt("k", 5);
      int depth = a.getInt("depth", 100);
      EvalOptions o = PipelineOptionsFactory.fromArgs("--sink=" + sink).as(EvalOptions.class);
      List<Method> methods = methods();
      // set -> method -> scored questions
      Map<String, Map<String, List<Evaluation.Scored>>> results = new LinkedHashMap<>();
      try (Searcher searcher = Searcher.open(o, false)) {
        System.out.printf("bench-fusion: %s, model %s, k=%d, rankings %d deep%n", searcher.describeTarget(),
            searcher.modelId(), k, depth);
        for (String file : files) {
          List<Evaluation.Question> questions = Evaluation.Question.read(Path.of(file));
          Map<String, List<Evaluation.Scored>> byMethod = new LinkedHashMap<>();
          for (Evaluation.Question q : questions) {
            Rankings r = searcher.rankings(q.text, depth);
            for (Method m : methods) {
              byMethod.computeIfAbsent(m.name, x -> new ArrayList<>())
                  .add(Evaluation.Scored.of(q, m.rank(r, q.text, Math.max(Evaluation.DEPTH, k)), k));
            }
          }
          results.put(Path.of(file).getFileName().toString().replace(".tsv", ""), byMethod);
        }
      }
      print(results, methods, k);
    });
  }

  /** Fills a new Chroma or Milvus collection with the vectors of a file sink's output folder. */
  private static void copy(Path fileSink, String sink) throws Exception {
    System.out.printf("bench-fusion: copied %d vectors of %s into %s%n", CopyVectors.copyInto(fileSink, sink),
        fileSink, sink);
  }

  private static void print(Map<String, Map<String, List<Evaluation.Scored>>> results, List<Method> methods, int k) {
    StringBuilder head = new StringBuilder(String.format("%-24s", "method"));
    for (String set : results.keySet()) {
      String n = set + " (" + results.get(set).get("dense").size() + ")";
      head.append(String.format(" | %-30s", n));
    }
    head.append(" | worst margin  mean R@").append(k);
    System.out.println(head);
    StringBuilder sub = new StringBuilder(String.format("%-24s", ""));
    for (int i = 0; i < results.size(); i++) {
      sub.append(String.format(" | %8s %8s %12s", "R@" + k, "MRR@10", "margin"));
    }
    System.out.println(sub);
    for (Method m : methods) {
      StringBuilder row = new StringBuilder(String.format("%-24s", m.name));
      double worst = Double.POSITIVE_INFINITY;
      double meanRecall = 0;
      for (Map<String, List<Evaluation.Scored>> byMethod : results.values()) {
        List<Evaluation.Scored> s = byMethod.get(m.name);
        double recall = sum(s, true);
        double margin = recall - Math.max(sum(byMethod.get("dense"), true), sum(byMethod.get("lexical"), true));
        worst = Math.min(worst, margin);
        meanRecall += recall / s.size() / results.size();
        row.append(String.format(Locale.ROOT, " | %8.3f %8.3f %12s", recall / s.size(), sum(s, false) / s.size(),
            m.fusion == null ? "" : String.format(Locale.ROOT, "%+.1f", margin)));
      }
      row.append(m.fusion == null ? String.format(Locale.ROOT, " | %12s  %9.3f", "", meanRecall)
          : String.format(Locale.ROOT, " | %+12.1f  %9.3f", worst, meanRecall));
      System.out.println(row);
    }
    System.out.println("margin: questions found in the top " + k + " beyond the better of dense and lexical"
        + " (recall summed over the set's questions); the rule is a margin of at least -1 on every set");
  }

  private static double sum(List<Evaluation.Scored> s, boolean recall) {
    return s.stream().mapToDouble(x -> recall ? x.recall() : x.reciprocalRank()).sum();
  }
}

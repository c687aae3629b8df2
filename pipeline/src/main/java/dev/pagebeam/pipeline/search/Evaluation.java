package dev.pagebeam.pipeline.search;

import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.pipeline.options.EvalOptions;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.store.SearchHit;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Retrieval scored against questions that name the PDF and pages that answer them: what {@code eval} reports. */
public final class Evaluation {
  /** Results looked at for MRR@10 and nDCG@10 (and recall@k when k is larger). */
  public static final int DEPTH = 10;

  private Evaluation() {}

  /** One line of the questions file. */
  public static final class Question {
    final String file;
    final Set<Integer> pages;
    public final String text;
    final int line;

    Question(String file, Set<Integer> pages, String text, int line) {
      this.file = file;
      this.pages = pages;
      this.text = text;
      this.line = line;
    }

    public static List<Question> read(Path path) throws IOException {
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException("--queries=" + path + " is not a file");
      }
      List<Question> questions = new ArrayList<>();
      int n = 0;
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", -1);
        if (parts.length != 3 || parts[0].isBlank() || parts[2].isBlank()) {
          throw new IllegalArgumentException(path + " line " + n + " is not FILE.pdf<TAB>PAGES<TAB>QUESTION: " + line);
        }
        questions.add(new Question(parts[0].trim(), pages(parts[1].trim(), path, n), parts[2].trim(), n));
      }
      if (questions.isEmpty()) {
        throw new IllegalArgumentException(path + " holds no questions");
      }
      return questions;
    }

    private static Set<Integer> pages(String spec, Path path, int line) {
      Set<Integer> pages = new LinkedHashSet<>();
      try {
        for (String part : spec.split(",")) {
          String p = part.trim();
          int dash = p.indexOf('-');
          int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
          int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
          for (int i = from; i <= to; i++) {
            pages.add(i);
          }
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(path + " line " + line + ": pages '" + spec + "' are not like 3, 3,4 or 3-5");
      }
      if (pages.isEmpty() || pages.stream().anyMatch(p -> p < 1)) {
        throw new IllegalArgumentException(path + " line " + line + ": pages '" + spec + "' must be 1 or more");
      }
      return pages;
    }
  }

  /** One question's ranking, as the metrics see it. */
  public static final class Scored {
    final Question question;
    /** Rank (1-based) at which each relevant page first appears, in rank order. */
    final List<Integer> relevantRanks;
    final double recall;
    final double reciprocalRank;
    final double ndcg;

    Scored(Question question, List<Integer> relevantRanks, int k) {
      this.question = question;
      this.relevantRanks = relevantRanks;
      long inTopK = relevantRanks.stream().filter(r -> r <= k).count();
      this.recall = (double) inTopK / question.pages.size();
      this.reciprocalRank = relevantRanks.isEmpty() || relevantRanks.get(0) > DEPTH ? 0 : 1.0 / relevantRanks.get(0);
      double dcg = 0;
      for (int r : relevantRanks) {
        if (r <= DEPTH) {
          dcg += 1 / log2(r + 1);
        }
      }
      double ideal = 0;
      for (int i = 1; i <= Math.min(question.pages.size(), DEPTH); i++) {
        ideal += 1 / log2(i + 1);
      }
      this.ndcg = dcg / ideal;
    }

    /** Ranks the hits: the first hit from each relevant page of the question's file counts. */
    public static Scored of(Question q, List<SearchHit> hits, int k) {
      List<Integer> ranks = new ArrayList<>();
      Set<Integer> seen = new java.util.HashSet<>();
      for (int i = 0; i < hits.size(); i++) {
        SearchHit h = hits.get(i);
        if (q.file.equals(fileName(h.source())) && q.pages.contains(h.page()) && seen.add(h.page())) {
          ranks.add(i + 1);
        }
      }
      return new Scored(q, ranks, k);
    }

    /** The share of the question's pages found in the top k. */
    public double recall() {
      return recall;
    }

    /** 1 / the rank of the first relevant result in the top 10, or 0. */
    public double reciprocalRank() {
      return reciprocalRank;
    }

    /** The first rank of a relevant page, or 0 when none is in the results looked at. */
    int bestRank() {
      return relevantRanks.isEmpty() ? 0 : relevantRanks.get(0);
    }

    private static double log2(double x) {
      return Math.log(x) / Math.log(2);
    }
  }

  public static String fileName(String source) {
    int slash = source.lastIndexOf('/');
    return slash < 0 ? source : source.substring(slash + 1);
  }

  /** The means, overall and per file, and the misses. */
  public static final class Report {
    final List<Scored> scored;
    final int k;
    final String mode;

    /** Each question's search time (embedding included), in milliseconds; empty when not measured. */
    private List<Double> millis = List.of();
    /** How hybrid and auto fused the rankings; null for dense and lexical. */
    private String fusion;

    public Report(List<Scored> scored, int k, String mode) {
      this.scored = scored;
      this.k = k;
      this.mode = mode;
    }

    public Report withLatency(List<Double> searchMillis) {
      this.millis = searchMillis;
      return this;
    }

    public Report withFusion(String description) {
      this.fusion = description;
      return this;
    }

    double medianMillis() {
      return median(millis);
    }

    static double[] means(List<Scored> s) {
      double recall = 0;
      double rr = 0;
      double ndcg = 0;
      for (Scored x : s) {
        recall += x.recall;
        rr += x.reciprocalRank;
        ndcg += x.ndcg;
      }
      return new double[] {recall / s.size(), rr / s.size(), ndcg / s.size()};
    }

    Map<String, List<Scored>> perFile() {
      Map<String, List<Scored>> byFile = new TreeMap<>();
      for (Scored s : scored) {
        byFile.computeIfAbsent(s.question.file, f -> new ArrayList<>()).add(s);
      }
      return byFile;
    }

    /** Questions with no relevant page in the top k. */
    List<Scored> misses() {
      List<Scored> misses = new ArrayList<>();
      for (Scored s : scored) {
        if (s.recall == 0) {
          misses.add(s);
        }
      }
      return misses;
    }

    public void print(PrintStream out, String target, String model) {
      out.printf("eval: %d questions, %s, model %s, %s%s, k=%d%n", scored.size(), target, model, mode,
          fusion == null ? "" : " (" + fusion + ")", k);
      String format = "%-40s %9s %9s %9s %9s%n";
      out.printf(format, "", "questions", "recall@" + k, "MRR@10", "nDCG@10");
      row(out, "all", scored);
      perFile().forEach((file, s) -> row(out, file, s));
      List<Scored> misses = misses();
      out.printf(Locale.ROOT, "median query time %.1f ms (embedding and search, %d queries)%n", medianMillis(),
          millis.size());
      out.printf("misses (no relevant page in the top %d): %d%n", k, misses.size());
      for (Scored s : misses) {
        out.printf("  line %d  %s p%s  best rank %s  \"%s\"%n", s.question.line, s.question.file,
            pages(s.question.pages), s.bestRank() == 0 ? ">" + Math.max(DEPTH, k) : s.bestRank(), s.question.text);
      }
    }

    private void row(PrintStream out, String name, List<Scored> s) {
      double[] m = means(s);
      out.printf(Locale.ROOT, "%-40s %9d %9.3f %9.3f %9.3f%n", name, s.size(), m[0], m[1], m[2]);
    }

    public ObjectNode json(String target, String model) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("sink", target);
      n.put("model", model);
      n.put("mode", mode);
      if (fusion != null) {
        n.put("fusion", fusion);
      }
      n.put("k", k);
      put(n, scored);
      n.put("median_ms", round(medianMillis()));
      ObjectNode files = n.putObject("per_file");
      perFile().forEach((file, s) -> put(files.putObject(file), s));
      ArrayNode misses = n.putArray("misses");
      for (Scored s : misses()) {
        misses.addObject().put("line", s.question.line).put("file", s.question.file)
            .put("pages", pages(s.question.pages)).put("question", s.question.text)
            .put("best_rank", s.bestRank() == 0 ? null : s.bestRank());
      }
      return n;
    }

    private void put(ObjectNode n, List<Scored> s) {
      double[] m = means(s);
      n.put("questions", s.size());
      n.put("recall@" + k, round(m[0]));
      n.put("mrr@10", round(m[1]));
      n.put("ndcg@10", round(m[2]));
    }

    static double round(double x) {
      return Math.round(x * 10000) / 10000.0;
    }

    private static String pages(Set<Integer> pages) {
      return String.join(",", pages.stream().map(String::valueOf).toList());
    }
  }

  /** The median of {@code values} (the mean of the middle two for an even count); 0 for none. */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    int n = sorted.size();
    return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * Every mode on the same questions, side by side ({@code eval --mode=all}), with the rule hybrid
   * search is held to: its recall@k at least the better of dense and lexical, less one question.
   */
  public static final class Comparison {
    private final Map<dev.pagebeam.pipeline.search.SearchMode, List<Scored>> scored;
    private final int k;
    private final String fusion;
    private final List<Double> millis;

    public Comparison(Map<dev.pagebeam.pipeline.search.SearchMode, List<Scored>> scored, int k, String fusion,
        List<Double> millis) {
      this.scored = scored;
      this.k = k;
      this.fusion = fusion;
      this.millis = millis;
    }

    private int questions() {
      return scored.values().iterator().next().size();
    }

    /** Questions with a relevant page in the top k, by mode. */
    private static long found(List<Scored> s) {
      return s.stream().filter(x -> x.recall > 0).count();
    }

    /**
     * How many questions hybrid finds beyond the better of dense and lexical (negative: fewer),
     * counted by recall@k summed over the questions; null when the sink lacks one of the three.
     */
    Double hybridMargin() {
      List<Scored> h = scored.get(dev.pagebeam.pipeline.search.SearchMode.HYBRID);
      List<Scored> d = scored.get(dev.pagebeam.pipeline.search.SearchMode.DENSE);
      List<Scored> l = scored.get(dev.pagebeam.pipeline.search.SearchMode.LEXICAL);
      if (h == null || d == null || l == null) {
        return null;
      }
      return recallSum(h) - Math.max(recallSum(d), recallSum(l));
    }

    private static double recallSum(List<Scored> s) {
      return s.stream().mapToDouble(x -> x.recall).sum();
    }

    public void print(PrintStream out, String target, String model) {
      out.printf("eval: %d questions, %s, model %s, every mode, k=%d, hybrid and auto fuse by %s%n", questions(),
          target, model, k, fusion);
      String format = "%-10s %9s %9s %9s %9s%n";
      out.printf(format, "mode", "recall@" + k, "MRR@10", "nDCG@10", "misses");
      scored.forEach((mode, s) -> {
        double[] m = Report.means(s);
        out.printf(Locale.ROOT, "%-10s %9.3f %9.3f %9.3f %9d%n", mode.label(), m[0], m[1], m[2],
            s.size() - found(s));
      });
      Double margin = hybridMargin();
      if (margin != null) {
        out.printf(Locale.ROOT, "hybrid against the better of dense and lexical: %+.1f questions found in the top %d"
            + " (the rule: at least -1)%n", margin, k);
      }
      out.printf(Locale.ROOT, "median query time %.1f ms (both rankings and every mode, %d queries)%n",
          median(millis), millis.size());
    }

    public ObjectNode json(String target, String model) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("sink", target);
      n.put("model", model);
      n.put("mode", "all");
      n.put("fusion", fusion);
      n.put("k", k);
      n.put("questions", questions());
      ObjectNode modes = n.putObject("modes");
      scored.forEach((mode, s) -> {
        double[] m = Report.means(s);
        modes.putObject(mode.label()).put("recall@" + k, Report.round(m[0])).put("mrr@10", Report.round(m[1]))
            .put("ndcg@10", Report.round(m[2])).put("found", found(s));
      });
      Double margin = hybridMargin();
      if (margin != null) {
        n.put("hybrid_margin", Report.round(margin));
      }
      n.put("median_ms", Report.round(median(millis)));
      return n;
    }
  }
}

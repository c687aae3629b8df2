package dev.pagebeam.io.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How hybrid search turns a dense and a lexical ranking into one; the same function on every sink
 * (the lists come from the server, the fusion runs here).
 *
 * <ul>
 *   <li>{@code convex}: a convex combination of the two lists' scores, each min-max normalised over
 *       the list it came from; a record missing from a list gets that list's minimum (0). A record
 *       that one list ranks far ahead of the rest keeps that lead, which rank fusion throws away
 *       (Bruch, Gai and Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval", 2023).
 *   <li>{@code zscore}: the same with each list's scores as z-scores.
 *   <li>{@code rrf}: reciprocal rank fusion (Cormack, Clarke and Buettcher, 2009), {@code 1 / (60 +
 *       rank)} per list, each list's terms weighted by {@code 2w} and {@code 2(1 - w)}.
 * </ul>
 *
 * {@code denseWeight} is w, the dense list's share: 1 is dense search, 0 lexical search.
 */
public final class Fusion implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** RRF's constant: the paper's, and Milvus's RRFRanker default. */
  public static final int RRF_K = 60;

  /** Results of each list fused when no depth is given. */
  public static final int DEFAULT_DEPTH = 100;

  /** The default, picked by measurement (docs/BENCHMARKS.md, "Fusion"). */
  public static final Fusion DEFAULT = new Fusion(Method.CONVEX, 0.5, 0);

  /** The fusion functions. */
  public enum Method {
    CONVEX,
    ZSCORE,
    RRF;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Method method;
  private final double denseWeight;
  private final int depth;

  private Fusion(Method method, double denseWeight, int depth) {
    this.method = method;
    this.denseWeight = denseWeight;
    this.depth = depth;
  }

  /**
   * A fusion by name ({@code convex}, {@code zscore} or {@code rrf}), the dense list's weight in [0,
   * 1], and how many results of each list it looks at (0: {@link #depth(int)}'s default).
   */
  public static Fusion of(String method, double denseWeight, int depth) {
    Method m;
    try {
      m = Method.valueOf(method.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--fusion=" + method + " is not one of convex, zscore, rrf");
    }
    if (!(denseWeight >= 0 && denseWeight <= 1)) {
      throw new IllegalArgumentException("--hybridWeight=" + denseWeight + " must be between 0 (lexical only) and"
          + " 1 (dense only)");
    }
    if (depth < 0) {
      throw new IllegalArgumentException("--fusionDepth=" + depth + " must be 0 (the default) or more");
    }
    return new Fusion(m, denseWeight, depth);
  }

  /** The same function with another dense weight. */
  public Fusion withDenseWeight(double w) {
    return of(method.label(), w, depth);
  }

  public Method method() {
    return method;
  }

  public double denseWeight() {
    return denseWeight;
  }

  /** How many results of each list a fusion for the top {@code k} looks at. */
  public int depth(int k) {
    return Math.max(depth > 0 ? depth : DEFAULT_DEPTH, k);
  }

  /** The {@code k} best records of the two rankings, best first, with the fused score. */
  public List<SearchHit> fuse(Rankings rankings, int k) {
    Rankings r = rankings.top(depth(k));
    Map<String, SearchHit> first = new LinkedHashMap<>();
    Map<String, Double> score = new LinkedHashMap<>();
    add(r.dense(), denseWeight, first, score);
    add(r.lexical(), 1 - denseWeight, first, score);
    List<String> ids = new ArrayList<>(score.keySet());
    // stable: ties keep the order of first appearance (dense first)
    ids.sort((a, b) -> Double.compare(score.get(b), score.get(a)));
    List<SearchHit> fused = new ArrayList<>();
    for (String id : ids.subList(0, Math.min(k, ids.size()))) {
      fused.add(first.get(id).withScore(score.get(id)));
    }
    return fused;
  }

  private void add(List<SearchHit> list, double weight, Map<String, SearchHit> first, Map<String, Double> score) {
    double[] s = normalised(list);
    for (int i = 0; i < list.size(); i++) {
      SearchHit h = list.get(i);
      first.putIfAbsent(h.id(), h);
      score.merge(h.id(), weight * s[i], Double::sum);
    }
  }

  /** Each hit's share of the fused score before weighting. */
  private double[] normalised(List<SearchHit> list) {
    int n = list.size();
    double[] s = new double[n];
    if (method == Method.RRF) {
      for (int i = 0; i < n; i++) {
        s[i] = 2.0 / (RRF_K + i + 1);
      }
      return s;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (SearchHit h : list) {
      min = Math.min(min, h.score());
      max = Math.max(max, h.score());
      sum += h.score();
    }
    if (method == Method.CONVEX) {
      for (int i = 0; i < n; i++) {
        // one hit, or all alike: each is as good as the list's best
        s[i] = max > min ? (list.get(i).score() - min) / (max - min) : 1;
      }
      return s;
    }
    double mean = sum / Math.max(1, n);
    double var = 0;
    for (SearchHit h : list) {
      var += (h.score() - mean) * (h.score() - mean);
    }
    double sd = Math.sqrt(var / Math.max(1, n));
    for (int i = 0; i < n; i++) {
      // a record missing from the list counts as 0: shift so that the list's worst is 0 too
      s[i] = sd > 0 ? (list.get(i).score() - min) / sd : 1;
    }
    return s;
  }

  /** As the options spell it: {@code convex w=0.50 depth=50}. */
  public String describe(int k) {
    return String.format(Locale.ROOT, "%s w=%.2f depth=%d", method.label(), denseWeight, depth(k));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s w=%.2f", method.label(), denseWeight) + (depth > 0 ? " depth=" + depth : "");
  }
}

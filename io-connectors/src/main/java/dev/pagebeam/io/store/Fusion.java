package dev.pagebeam.io.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Buettcher, 2009): a record's score is the sum over
 * the ranked lists that hold it of 1 / (K + rank), K = 60, the constant of the paper and of Milvus's
 * RRFRanker default. Scores of different kinds (cosine, BM25) are never added, only ranks.
 */
public final class Fusion {
  public static final int K = 60;

  private Fusion() {}

  /** How many results of each list a fusion for the top {@code k} looks at. */
  public static int depth(int k) {
    return Math.max(50, 4 * k);
  }

  /** The {@code k} best of {@code lists} by RRF, best first, with the fused score. */
  public static List<SearchHit> rrf(List<List<SearchHit>> lists, int k) {
    Map<String, SearchHit> first = new LinkedHashMap<>();
    Map<String, Double> score = new LinkedHashMap<>();
    for (List<SearchHit> list : lists) {
      for (int rank = 1; rank <= list.size(); rank++) {
        SearchHit h = list.get(rank - 1);
        first.putIfAbsent(h.id(), h);
        score.merge(h.id(), 1.0 / (K + rank), Double::sum);
      }
    }
    List<String> ids = new ArrayList<>(score.keySet());
    // stable: ties keep the order of first appearance (the first list first)
    ids.sort((a, b) -> Double.compare(score.get(b), score.get(a)));
    List<SearchHit> fused = new ArrayList<>();
    for (String id : ids.subList(0, Math.min(k, ids.size()))) {
      fused.add(first.get(id).withScore(score.get(id)));
    }
    return fused;
  }
}

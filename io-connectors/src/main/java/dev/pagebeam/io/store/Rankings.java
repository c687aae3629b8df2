package dev.pagebeam.io.store;

import java.util.List;

/**
 * The two rankings of one text query that hybrid search fuses: by the query's embedding and by BM25
 * over the texts, each best first. Every search mode can be derived from them without asking the
 * sink again (what {@code eval --mode=all} and the fusion benchmark rely on).
 */
public final class Rankings {
  private final List<SearchHit> dense;
  private final List<SearchHit> lexical;

  public Rankings(List<SearchHit> dense, List<SearchHit> lexical) {
    this.dense = List.copyOf(dense);
    this.lexical = List.copyOf(lexical);
  }

  public List<SearchHit> dense() {
    return dense;
  }

  /** BM25's ranking; on Chroma, of the dense candidates only (Chroma has no full-text index). */
  public List<SearchHit> lexical() {
    return lexical;
  }

  /** The same rankings cut to their first {@code depth} results each. */
  public Rankings top(int depth) {
    return new Rankings(dense.subList(0, Math.min(depth, dense.size())),
        lexical.subList(0, Math.min(depth, lexical.size())));
  }
}

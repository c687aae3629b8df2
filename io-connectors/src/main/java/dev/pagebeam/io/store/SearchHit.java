package dev.pagebeam.io.store;

/** One search result: the cosine similarity and the record's metadata (without its vector). */
public final class SearchHit {
  private final String id;
  private final double score;
  private final String type;
  private final String source;
  private final int page;
  private final String preview;
  private final String ref;

  public SearchHit(String id, double score, String type, String source, int page, String preview, String ref) {
    this.id = id;
    this.score = score;
    this.type = type;
    this.source = source;
    this.page = page;
    this.preview = preview;
    this.ref = ref;
  }

  /** The same record with another score (a fusion's or BM25's). */
  public SearchHit withScore(double newScore) {
    return new SearchHit(id, newScore, type, source, page, preview, ref);
  }

  public String id() {
    return id;
  }

  /** Cosine similarity: 1 is identical. */
  public double score() {
    return score;
  }

  public String type() {
    return type;
  }

  public String source() {
    return source;
  }

  public int page() {
    return page;
  }

  public String preview() {
    return preview;
  }

  public String ref() {
    return ref;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%.4f %s %s#page=%d %s", score, type, source, page, preview);
  }
}

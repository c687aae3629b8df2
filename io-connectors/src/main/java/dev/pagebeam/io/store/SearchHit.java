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
  private final String text;
  private final String thumbnail;

  public SearchHit(String id, double score, String type, String source, int page, String preview, String ref) {
    this(id, score, type, source, page, preview, ref, null, null);
  }

  private SearchHit(String id, double score, String type, String source, int page, String preview, String ref,
      String text, String thumbnail) {
    this.id = id;
    this.score = score;
    this.type = type;
    this.source = source;
    this.page = page;
    this.preview = preview;
    this.ref = ref;
    this.text = text;
    this.thumbnail = thumbnail;
  }

  /** The same record with another score (a fusion's or BM25's). */
  public SearchHit withScore(double newScore) {
    return new SearchHit(id, newScore, type, source, page, preview, ref, text, thumbnail);
  }

  /** The same record with its whole text and its page thumbnail's file (either may be null or empty). */
  public SearchHit withContent(String fullText, String thumbnailFile) {
    return new SearchHit(id, score, type, source, page, preview, ref, blankToNull(fullText),
        blankToNull(thumbnailFile));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
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

  /** The record's whole text (a chunk, or an image's OCR and caption text), or the preview where the store has none. */
  public String text() {
    return text != null ? text : preview;
  }

  /** The file of the record's page thumbnail as ingest wrote it, or null. */
  public String thumbnail() {
    return thumbnail;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%.4f %s %s#page=%d %s", score, type, source, page, preview);
  }
}

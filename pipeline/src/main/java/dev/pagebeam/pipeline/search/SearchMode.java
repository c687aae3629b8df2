package dev.pagebeam.pipeline.search;

import dev.pagebeam.io.store.VectorSearcher;
import java.util.Locale;

/**
 * How a text query is searched (--mode): by its embedding, by BM25 over the texts, both fused, or
 * auto: both fused, leaning to the words for queries shaped like the document's own text.
 */
public enum SearchMode {
  DENSE,
  LEXICAL,
  HYBRID,
  AUTO;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** auto is dense where the sink has no hybrid search; lexical and hybrid are refused where it has not. */
  public static SearchMode of(String value, VectorSearcher store) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "auto":
        return store.hasHybrid() ? AUTO : DENSE;
      case "dense":
        return DENSE;
      case "lexical":
        if (!store.hasLexical()) {
          throw new IllegalArgumentException("--mode=lexical: " + store.noLexicalReason());
        }
        return LEXICAL;
      case "hybrid":
        if (!store.hasHybrid()) {
          throw new IllegalArgumentException("--mode=hybrid: " + store.noLexicalReason());
        }
        return HYBRID;
      default:
        throw new IllegalArgumentException("--mode=" + value + " is not one of auto, dense, lexical, hybrid");
    }
  }

  /** An image query has only its vector. */
  public static SearchMode dense(String value, String why) {
    if (!value.equalsIgnoreCase("auto") && !value.equalsIgnoreCase("dense")) {
      throw new IllegalArgumentException("--mode=" + value + " needs a text query; " + why + " searches by vector");
    }
    return DENSE;
  }
}

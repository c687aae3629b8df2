package dev.pagebeam.transforms.model;

/** How token states become one vector. */
public enum Pooling {
  /** The first token's state ([CLS]): bge. */
  CLS,
  /** Mean of the token states under the attention mask: sentence-transformers' MiniLM. */
  MEAN,
  /** The graph already outputs one vector per input (CLIP's text_embeds / image_embeds). */
  NONE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Pooling parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown pooling '" + s + "': use cls, mean or none");
    }
  }
}

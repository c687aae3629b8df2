package dev.pagebeam.transforms.model;

/** What a model embeds. */
public enum ModelFamily {
  /** One text graph: token ids in, hidden states (pooled here) or a sentence vector out. */
  TEXT,
  /** CLIP-style: a text graph and a vision graph that embed into one space. */
  CLIP;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

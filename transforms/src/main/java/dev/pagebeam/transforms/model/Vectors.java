package dev.pagebeam.transforms.model;

/** Arithmetic on embedding vectors. */
public final class Vectors {
  private Vectors() {}

  /** The cosine similarity of two vectors of the same length: 1 for the same direction. */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}

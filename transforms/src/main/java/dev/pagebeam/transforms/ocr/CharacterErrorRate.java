package dev.pagebeam.transforms.ocr;

/** How far OCR text is from a reference: the measure of the OCR tests and the OCR benchmark. */
public final class CharacterErrorRate {
  private CharacterErrorRate() {}

  /** Edit distance between the whitespace-normalised texts, over the reference's length. */
  public static double of(String reference, String hypothesis) {
    String r = reference.replaceAll("\\s+", " ").trim();
    String h = hypothesis.replaceAll("\\s+", " ").trim();
    int[] previous = new int[h.length() + 1];
    int[] current = new int[h.length() + 1];
    for (int j = 0; j <= h.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= r.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= h.length(); j++) {
        int substitution = previous[j - 1] + (r.charAt(i - 1) == h.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return r.isEmpty() ? 0 : (double) previous[h.length()] / r.length();
  }
}

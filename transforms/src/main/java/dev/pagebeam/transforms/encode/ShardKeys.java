package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.elements.PdfElement;

/**
 * Encoder state keys: "text-N" or "image-N", N from the element id (deterministic and uniform, so
 * every run spreads the same elements over the same shards).
 */
final class ShardKeys {
  private static final String TEXT = "text-";
  private static final String IMAGE = "image-";

  private ShardKeys() {}

  /** The text key of an element embedded by its text (a chunk, or an image's text for a text model). */
  static String text(PdfElement e, int shards) {
    return TEXT + shard(e, shards);
  }

  /** The image key of an element embedded by its pixels. */
  static String image(PdfElement e, int shards) {
    return IMAGE + shard(e, shards);
  }

  private static int shard(PdfElement e, int shards) {
    return (int) (Long.parseLong(e.getId().substring(0, 8), 16) % shards);
  }

  static boolean isImage(String key) {
    return key.startsWith(IMAGE);
  }
}

package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.split.PdfElement;

/**
 * Encoder state keys: "text-N" or "image-N", N from the element id (deterministic and uniform, so
 * every run spreads the same elements over the same shards).
 */
final class ShardKeys {
  private static final String TEXT = "text-";
  private static final String IMAGE = "image-";

  private ShardKeys() {}

  static String of(PdfElement e, int shards) {
    int shard = (int) (Long.parseLong(e.getId().substring(0, 8), 16) % shards);
    return (e.getType().isImage() ? IMAGE : TEXT) + shard;
  }

  static boolean isImage(String key) {
    return key.startsWith(IMAGE);
  }
}

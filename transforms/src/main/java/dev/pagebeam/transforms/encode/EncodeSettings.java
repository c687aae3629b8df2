package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.model.ModelSpec;
import java.io.Serializable;

/** How elements are batched and encoded. Immutable and validated. */
public final class EncodeSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Batch sizes when none is given. Measured on 2 CPU cores (docs/BENCHMARKS.md): small batches
   * win on the CPU (less padding, better cache use); GPUs want large ones.
   */
  public static final int DEFAULT_TEXT_BATCH_CPU = 8;
  public static final int DEFAULT_TEXT_BATCH_CUDA = 64;
  public static final int DEFAULT_IMAGE_BATCH_CPU = 8;
  public static final int DEFAULT_IMAGE_BATCH_CUDA = 64;
  /** Fewest elements buffered before sorting by length, whatever the batch size. */
  public static final int MIN_SORT_WINDOW = 64;
  public static final int DEFAULT_MAX_BUFFERING_SECONDS = 60;
  /** Batches held before sorting by length: more cuts padding, costs buffer memory. */
  public static final int SORT_WINDOW_BATCHES = 4;

  /** How elements are gathered into batches. */
  public enum Batching {
    /**
     * Keyed state over shard keys (a shuffle): batches stay full across bundles however small the
     * bundles are, and partial batches are flushed by a timer. For runners with small bundles.
     */
    KEYED,
    /**
     * Within each bundle, behind the split without a shuffle: full batches where bundles are large
     * (Flink's batch mode: a task is a bundle), and encoding overlaps splitting.
     */
    BUNDLE
  }

  private final ModelSpec model;
  private final Batching batching;
  private final int textBatchSize;
  private final int imageBatchSize;
  private final int maxBatchTokens;
  private final int shards;
  private final int maxBufferingSeconds;

  /**
   * The settings for {@code model} with the defaults: CPU batch sizes, no token limit per batch,
   * one shard, {@link #DEFAULT_MAX_BUFFERING_SECONDS}, keyed batching. Change them with the
   * {@code with} methods, e.g. {@code EncodeSettings.of(spec).withBatchSizes(32, 16).withShards(4)}.
   */
  public static EncodeSettings of(ModelSpec model) {
    return new EncodeSettings(model, DEFAULT_TEXT_BATCH_CPU, DEFAULT_IMAGE_BATCH_CPU, 0, 1,
        DEFAULT_MAX_BUFFERING_SECONDS, Batching.KEYED);
  }

  /** Elements per text batch and per image batch. */
  public EncodeSettings withBatchSizes(int text, int images) {
    return new EncodeSettings(model, text, images, maxBatchTokens, shards, maxBufferingSeconds, batching);
  }

  /** Most padded tokens (batch size x longest input) per text batch; 0 for no limit. */
  public EncodeSettings withMaxBatchTokens(int tokens) {
    return new EncodeSettings(model, textBatchSize, imageBatchSize, tokens, shards, maxBufferingSeconds, batching);
  }

  /** Keys the keyed batching's state is spread over; at least the pipeline's parallelism. */
  public EncodeSettings withShards(int keys) {
    return new EncodeSettings(model, textBatchSize, imageBatchSize, maxBatchTokens, keys, maxBufferingSeconds,
        batching);
  }

  /** How long a partial batch may wait for more elements before it is encoded as it is. */
  public EncodeSettings withMaxBufferingSeconds(int seconds) {
    return new EncodeSettings(model, textBatchSize, imageBatchSize, maxBatchTokens, shards, seconds, batching);
  }

  public EncodeSettings withBatching(Batching how) {
    return new EncodeSettings(model, textBatchSize, imageBatchSize, maxBatchTokens, shards, maxBufferingSeconds, how);
  }

  private EncodeSettings(ModelSpec model, int textBatchSize, int imageBatchSize, int maxBatchTokens, int shards,
      int maxBufferingSeconds, Batching batching) {
    this.model = model;
    this.batching = java.util.Objects.requireNonNull(batching, "batching");
    this.textBatchSize = textBatchSize;
    this.imageBatchSize = imageBatchSize;
    this.maxBatchTokens = maxBatchTokens;
    this.shards = shards;
    this.maxBufferingSeconds = maxBufferingSeconds;
    if (textBatchSize < 1 || textBatchSize > 4096) {
      throw new IllegalArgumentException("--textBatchSize=" + textBatchSize + " must be between 1 and 4096");
    }
    if (imageBatchSize < 1 || imageBatchSize > 4096) {
      throw new IllegalArgumentException("--imageBatchSize=" + imageBatchSize + " must be between 1 and 4096");
    }
    if (maxBatchTokens < 0) {
      throw new IllegalArgumentException("--maxBatchTokens=" + maxBatchTokens + " must be 0 (no limit) or more");
    }
    if (shards < 1) {
      throw new IllegalArgumentException("--encoderShards=" + shards + " must be at least 1");
    }
    if (maxBufferingSeconds < 1) {
      throw new IllegalArgumentException("--maxBufferingSeconds=" + maxBufferingSeconds + " must be at least 1");
    }
  }

  public ModelSpec model() {
    return model;
  }

  public Batching batching() {
    return batching;
  }

  public int textBatchSize() {
    return textBatchSize;
  }

  public int imageBatchSize() {
    return imageBatchSize;
  }

  /** Most padded tokens (batch size x longest input) per text batch; 0 for no limit. */
  public int maxBatchTokens() {
    return maxBatchTokens;
  }

  /** Keys the encoder's state is spread over; at least the pipeline's parallelism. */
  public int shards() {
    return shards;
  }

  /** Elements buffered before they are sorted by length and cut into batches. */
  public int sortWindow(int batchSize) {
    return Math.max(batchSize * SORT_WINDOW_BATCHES, MIN_SORT_WINDOW);
  }

  public int maxBufferingSeconds() {
    return maxBufferingSeconds;
  }

  @Override
  public String toString() {
    return "EncodeSettings{model=" + model + ", textBatch=" + textBatchSize + ", imageBatch=" + imageBatchSize
        + ", maxBatchTokens=" + maxBatchTokens + ", shards=" + shards + ", maxBuffering=" + maxBufferingSeconds + "s, " + batching.name().toLowerCase(java.util.Locale.ROOT) + " batching}";
  }
}

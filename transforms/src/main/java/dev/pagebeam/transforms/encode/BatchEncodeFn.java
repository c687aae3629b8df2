package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelCache;
import dev.pagebeam.transforms.split.DeadLetter;
import dev.pagebeam.transforms.split.ErrorKind;
import dev.pagebeam.transforms.split.PdfElement;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The encoder: a stateful DoFn over sharded keys that buffers elements across bundles and encodes
 * them in full batches with the per-JVM model.
 *
 * <p>A key holds either text chunks or images ({@link ShardKeys}). Text is buffered for a few
 * batches, sorted by token count (so each batch pads to a similar length) and cut into batches
 * bounded by count and by padded tokens; the last partial batch waits for more input. Leftovers
 * are flushed when the window expires (the end of a batch job) or when the oldest buffered
 * element has waited {@code maxBufferingSeconds}. A failing element becomes a dead letter; the
 * rest of its batch is still encoded.
 */
class BatchEncodeFn extends DoFn<KV<String, PdfElement>, EmbeddedElement> {
  private static final String BUFFER = "buffer";
  private static final String COUNT = "count";
  private static final String MIN_TIMESTAMP = "minTimestamp";
  private static final String FLUSH_AT = "flushAt";
  private static final String BUFFERING = "buffering";

  static final TupleTag<EmbeddedElement> EMBEDDED = new TupleTag<EmbeddedElement>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  @StateId(BUFFER)
  private final StateSpec<BagState<PdfElement>> bufferSpec = StateSpecs.bag(PdfElement.ElementCoder.of());

  @StateId(COUNT)
  private final StateSpec<ValueState<Integer>> countSpec = StateSpecs.value(VarIntCoder.of());

  @StateId(MIN_TIMESTAMP)
  private final StateSpec<ValueState<Long>> minTimestampSpec = StateSpecs.value(VarLongCoder.of());

  @StateId(FLUSH_AT)
  private final StateSpec<ValueState<Long>> flushAtSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId(BUFFERING)
  private final TimerSpec bufferingSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  private final EncodeSettings settings;
  private transient ModelCache.Lease lease;
  private transient boolean loadToReport;
  private transient org.apache.beam.sdk.metrics.Counter jvmBatches;

  BatchEncodeFn(EncodeSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() throws IOException {
    lease = ModelCache.acquire(settings.model());
    loadToReport = lease.loadedNow();
    jvmBatches = EncodeCounters.thisJvm();
  }

  @Teardown
  public void teardown() {
    if (lease != null) {
      lease.close();
      lease = null;
    }
  }

  @Override
  public Duration getAllowedTimestampSkew() {
    // Batches are output with their oldest element's timestamp, held by the buffering timer.
    return Duration.millis(Long.MAX_VALUE);
  }

  @ProcessElement
  public void process(
      @Element KV<String, PdfElement> element,
      @Timestamp Instant timestamp,
      @StateId(BUFFER) BagState<PdfElement> buffer,
      @StateId(COUNT) ValueState<Integer> count,
      @StateId(MIN_TIMESTAMP) ValueState<Long> minTimestamp,
      @StateId(FLUSH_AT) ValueState<Long> flushAt,
      @TimerId(BUFFERING) Timer buffering,
      MultiOutputReceiver out) {
    reportModelLoad();
    int n = count.read() == null ? 0 : count.read();
    Long min = minTimestamp.read();
    boolean olderThanBuffered = min == null || timestamp.getMillis() < min;
    if (olderThanBuffered) {
      min = timestamp.getMillis();
      minTimestamp.write(min);
    }
    // The buffering timer holds the watermark at the oldest buffered element; it is (re)set only
    // when the buffer starts or that element changes, not for every element.
    Long at = flushAt.read();
    if (n == 0 || at == null) {
      at = buffering.getCurrentRelativeTime().getMillis() + settings.maxBufferingSeconds() * 1000L;
      flushAt.write(at);
      buffering.withOutputTimestamp(new Instant(min)).set(new Instant(at));
    } else if (olderThanBuffered) {
      buffering.withOutputTimestamp(new Instant(min)).set(new Instant(at));
    }
    buffer.add(element.getValue());
    n++;
    int batchSize = ShardKeys.isImage(element.getKey()) ? settings.imageBatchSize() : settings.textBatchSize();
    if (n >= settings.sortWindow(batchSize)) {
      n = flush(element.getKey(), buffer, false, new Instant(min), out);
    }
    count.write(n);
  }

  @OnTimer(BUFFERING)
  public void onBuffering(
      @Key String key,
      @StateId(BUFFER) BagState<PdfElement> buffer,
      @StateId(COUNT) ValueState<Integer> count,
      @StateId(MIN_TIMESTAMP) ValueState<Long> minTimestamp,
      @StateId(FLUSH_AT) ValueState<Long> flushAt,
      MultiOutputReceiver out) {
    flushAll(key, buffer, count, minTimestamp, flushAt, out);
  }

  @OnWindowExpiration
  public void onWindowExpiration(
      @Key String key,
      @StateId(BUFFER) BagState<PdfElement> buffer,
      @StateId(COUNT) ValueState<Integer> count,
      @StateId(MIN_TIMESTAMP) ValueState<Long> minTimestamp,
      @StateId(FLUSH_AT) ValueState<Long> flushAt,
      MultiOutputReceiver out) {
    flushAll(key, buffer, count, minTimestamp, flushAt, out);
  }

  private void flushAll(String key, BagState<PdfElement> buffer, ValueState<Integer> count,
      ValueState<Long> minTimestamp, ValueState<Long> flushAt, MultiOutputReceiver out) {
    reportModelLoad();
    Long min = minTimestamp.read();
    flush(key, buffer, true, min == null ? BoundedWindow.TIMESTAMP_MIN_VALUE : new Instant(min), out);
    count.clear();
    minTimestamp.clear();
    flushAt.clear();
  }

  /** Encodes what is buffered; unless {@code all}, a last partial batch stays. Returns what stays. */
  private int flush(String key, BagState<PdfElement> buffer, boolean all, Instant timestamp, MultiOutputReceiver out) {
    List<PdfElement> items = new ArrayList<>();
    buffer.read().forEach(items::add);
    buffer.clear();
    if (items.isEmpty()) {
      return 0;
    }
    boolean image = ShardKeys.isImage(key);
    int batchSize = image ? settings.imageBatchSize() : settings.textBatchSize();
    List<List<PdfElement>> batches = image ? fixedBatches(items, batchSize) : textBatches(items);
    List<PdfElement> keep = List.of();
    if (!all && batches.get(batches.size() - 1).size() < batchSize) {
      keep = batches.remove(batches.size() - 1);
    }
    EmbeddingModel model = lease.model();
    for (List<PdfElement> batch : batches) {
      if (image) {
        encodeImages(model, batch, batchSize, timestamp, out);
      } else {
        encodeTexts(model, batch, batchSize, timestamp, out);
      }
    }
    keep.forEach(buffer::add);
    return keep.size();
  }

  /** Sorted by token count, then cut by count and by padded tokens (batch size x longest). */
  private List<List<PdfElement>> textBatches(List<PdfElement> items) {
    items.sort(Comparator.comparingInt(PdfElement::getTokenCount).thenComparing(PdfElement::getId));
    List<List<PdfElement>> batches = new ArrayList<>();
    List<PdfElement> current = new ArrayList<>();
    for (PdfElement e : items) {
      int longest = Math.max(e.getTokenCount(), current.isEmpty() ? 0 : current.get(current.size() - 1).getTokenCount());
      boolean full = current.size() >= settings.textBatchSize()
          || settings.maxBatchTokens() > 0 && !current.isEmpty() && (current.size() + 1) * longest > settings.maxBatchTokens();
      if (full) {
        batches.add(current);
        current = new ArrayList<>();
      }
      current.add(e);
    }
    batches.add(current);
    return batches;
  }

  private static List<List<PdfElement>> fixedBatches(List<PdfElement> items, int size) {
    List<List<PdfElement>> batches = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      batches.add(new ArrayList<>(items.subList(i, Math.min(items.size(), i + size))));
    }
    return batches;
  }

  private void encodeTexts(EmbeddingModel model, List<PdfElement> batch, int batchSize, Instant ts,
      MultiOutputReceiver out) {
    List<String> texts = new ArrayList<>(batch.size());
    batch.forEach(e -> texts.add(e.getText()));
    try {
      EmbeddingModel.TextVectors vectors = model.embedTexts(texts, false);
      EncodeCounters.truncatedChunks.inc(vectors.truncated);
      emit(model, batch, vectors.vectors, batchSize, ts, out);
    } catch (RuntimeException batchFailure) {
      // Find the element that fails; encode the others alone.
      for (PdfElement e : batch) {
        try {
          EmbeddingModel.TextVectors one = model.embedTexts(List.of(e.getText()), false);
          EncodeCounters.truncatedChunks.inc(one.truncated);
          emit(model, List.of(e), one.vectors, 1, ts, out);
        } catch (RuntimeException failure) {
          fail(e, "the model failed on this text chunk: " + failure.getMessage(), ts, out);
        }
      }
    }
  }

  private void encodeImages(EmbeddingModel model, List<PdfElement> batch, int batchSize, Instant ts,
      MultiOutputReceiver out) {
    List<PdfElement> ok = new ArrayList<>(batch.size());
    List<float[]> pixels = new ArrayList<>(batch.size());
    for (PdfElement e : batch) {
      try {
        BufferedImage image = javax.imageio.ImageIO.read(new ByteArrayInputStream(e.getImageBytes()));
        if (image == null) {
          throw new IOException("no image decoder recognises these " + e.getImageBytes().length + " bytes");
        }
        pixels.add(model.manifest().image().apply(image));
        ok.add(e);
      } catch (IOException | RuntimeException failure) {
        fail(e, "the image cannot be decoded for the model: " + failure.getMessage(), ts, out);
      }
    }
    if (ok.isEmpty()) {
      return;
    }
    try {
      emit(model, ok, model.embedImages(pixels), batchSize, ts, out);
    } catch (RuntimeException batchFailure) {
      for (int i = 0; i < ok.size(); i++) {
        try {
          emit(model, List.of(ok.get(i)), model.embedImages(List.of(pixels.get(i))), 1, ts, out);
        } catch (RuntimeException failure) {
          fail(ok.get(i), "the model failed on this image: " + failure.getMessage(), ts, out);
        }
      }
    }
  }

  private void emit(EmbeddingModel model, List<PdfElement> batch, float[][] vectors, int batchSize, Instant ts,
      MultiOutputReceiver out) {
    String modelId = model.manifest().id();
    for (int i = 0; i < batch.size(); i++) {
      out.get(EMBEDDED).outputWithTimestamp(new EmbeddedElement(batch.get(i), vectors[i], modelId), ts);
    }
    EncodeCounters.encoded.inc(batch.size());
    EncodeCounters.batches.inc();
    jvmBatches.inc();
    EncodeCounters.batchSlotsUsed.inc(batch.size());
    EncodeCounters.batchSlots.inc(batchSize);
  }

  private static void fail(PdfElement e, String message, Instant ts, MultiOutputReceiver out) {
    EncodeCounters.encodeFailures.inc();
    out.get(DEAD_LETTERS).outputWithTimestamp(DeadLetter.forElement(e.getSource(), e.getDocumentId(), "encode",
        ErrorKind.ENCODE_FAILED, message, e.getPage(), e.getType().label() + " " + e.getId()), ts);
  }

  /** model_loads counts real loads: only the lease that loaded reports it, once. */
  private void reportModelLoad() {
    if (loadToReport) {
      EncodeCounters.modelLoads.inc();
      EncodeCounters.device(lease.model().device().name()).inc();
      loadToReport = false;
    }
  }
}

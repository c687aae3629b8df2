package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.elements.PdfElement;
import java.io.IOException;
import java.util.ArrayList;
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
 * The keyed encoder: a stateful DoFn over sharded keys that buffers elements across bundles and
 * encodes them in full batches with the per-JVM model ({@link BatchEncoder}).
 *
 * <p>A key holds either text chunks or images ({@link ShardKeys}). Text is buffered for a few
 * batches, sorted by token count (so each batch pads to a similar length) and cut into batches
 * bounded by count and by padded tokens; the last partial batch waits for more input. Leftovers
 * are flushed when the window expires (the end of a batch job) or when the oldest buffered
 * element has waited {@code maxBufferingSeconds}.
 *
 * <p>Why not Beam's {@code GroupIntoBatches}: its batches are cut in arrival order, by count or by
 * a byte weigher, and emitted as they fill. An encoder's cost is the batch's padded length (batch
 * size x longest input), so this DoFn buffers a window of several batches and sorts it by token
 * count before cutting, which cuts padding by about half on mixed chunk lengths (BENCHMARKS.md,
 * {@code bench-encode}); it also bounds a batch by padded tokens, which no weigher of single
 * elements can express, and routes an element that fails to encode to a dead letter without
 * losing its batch. {@code GroupIntoBatches.ofSize(..).withShardedKey()} would serve where order
 * does not matter; here it does.
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
  private transient BatchEncoder encoder;

  BatchEncodeFn(EncodeSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() throws IOException {
    encoder = new BatchEncoder(settings);
  }

  @Teardown
  public void teardown() {
    if (encoder != null) {
      encoder.close();
      encoder = null;
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
    encoder.reportModelLoad();
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
    if (n >= encoder.window(ShardKeys.isImage(element.getKey()))) {
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
    List<PdfElement> keep = encoder.encode(items, ShardKeys.isImage(key), all, new BatchEncoder.Emitter() {
      @Override
      public void embedded(EmbeddedElement element) {
        out.get(EMBEDDED).outputWithTimestamp(element, timestamp);
      }

      @Override
      public void deadLetter(DeadLetter deadLetter) {
        out.get(DEAD_LETTERS).outputWithTimestamp(deadLetter, timestamp);
      }
    });
    keep.forEach(buffer::add);
    return keep.size();
  }
}

package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.elements.PdfElement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Instant;

/**
 * The in-bundle encoder: batches within each bundle, with no shuffle and no state, right behind the
 * split. For runners whose bundles are large (Flink's batch mode makes each task one bundle): there
 * the batches are as full as with keyed state, and encoding overlaps splitting instead of waiting
 * for a sort of all elements. On runners with small bundles (the DirectRunner) batches would be
 * cut at every bundle's end: use the keyed encoder there ({@link BatchEncodeFn}).
 */
class BundleEncodeFn extends DoFn<PdfElement, EmbeddedElement> {
  private final EncodeSettings settings;
  private final EncoderRouting routing;
  private transient BatchEncoder encoder;
  private transient List<PdfElement> texts;
  private transient List<PdfElement> images;

  BundleEncodeFn(EncodeSettings settings, EncoderRouting routing) {
    this.settings = settings;
    this.routing = routing;
  }

  @Setup
  public void setup() throws IOException {
    encoder = new BatchEncoder(settings);
  }

  @StartBundle
  public void startBundle() {
    encoder.reportModelLoad();
    texts = new ArrayList<>();
    images = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element PdfElement element, BoundedWindow window, MultiOutputReceiver out) {
    if (!(window instanceof GlobalWindow)) {
      throw new IllegalStateException("the in-bundle encoder is for batch pipelines in the global window");
    }
    routing.route(element, new EncoderRouting.Target() {
      @Override
      public void text(PdfElement e) {
        texts.add(e);
      }

      @Override
      public void image(PdfElement e) {
        images.add(e);
      }
    });
    BatchEncoder.Emitter emitter = new BatchEncoder.Emitter() {
      @Override
      public void embedded(EmbeddedElement e) {
        out.get(BatchEncodeFn.EMBEDDED).output(e);
      }

      @Override
      public void deadLetter(DeadLetter d) {
        out.get(BatchEncodeFn.DEAD_LETTERS).output(d);
      }
    };
    if (texts.size() >= encoder.window(false)) {
      texts = new ArrayList<>(encoder.encode(texts, false, false, emitter));
    }
    if (images.size() >= encoder.window(true)) {
      images = new ArrayList<>(encoder.encode(images, true, false, emitter));
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    Instant timestamp = GlobalWindow.INSTANCE.maxTimestamp();
    BatchEncoder.Emitter emitter = new BatchEncoder.Emitter() {
      @Override
      public void embedded(EmbeddedElement e) {
        context.output(BatchEncodeFn.EMBEDDED, e, timestamp, GlobalWindow.INSTANCE);
      }

      @Override
      public void deadLetter(DeadLetter d) {
        context.output(BatchEncodeFn.DEAD_LETTERS, d, timestamp, GlobalWindow.INSTANCE);
      }
    };
    encoder.encode(texts, false, true, emitter);
    encoder.encode(images, true, true, emitter);
    texts.clear();
    images.clear();
  }

  @Teardown
  public void teardown() {
    if (encoder != null) {
      encoder.close();
      encoder = null;
    }
  }
}

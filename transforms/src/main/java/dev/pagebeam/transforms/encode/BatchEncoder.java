package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelCache;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.elements.PdfElement;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.metrics.Counter;

/**
 * The encoding both batching DoFns share, without Beam state: cuts buffered elements into batches
 * (text sorted by token count and bounded by count and padded tokens; images by count), runs the
 * per-JVM model on them, and hands over vectors and dead letters. An element that fails becomes a
 * dead letter; the rest of its batch is still encoded.
 */
final class BatchEncoder implements AutoCloseable {
  /** Receives what a batch gave. */
  interface Emitter {
    void embedded(EmbeddedElement element);

    void deadLetter(DeadLetter deadLetter);
  }

  private final EncodeSettings settings;
  private final ModelCache.Lease lease;
  private final Counter jvmBatches;

  /** Takes a lease on the model (loaded once per JVM); {@link #close} returns it. */
  BatchEncoder(EncodeSettings settings) throws IOException {
    this.settings = settings;
    this.lease = ModelCache.acquire(settings.model());
    this.jvmBatches = EncodeCounters.thisJvm();
  }

  int batchSize(boolean image) {
    return image ? settings.imageBatchSize() : settings.textBatchSize();
  }

  /** Elements worth buffering before they are sorted and cut into batches. */
  int window(boolean image) {
    return settings.sortWindow(batchSize(image));
  }

  /**
   * Encodes {@code items} in batches; unless {@code all}, a last partial batch is not encoded but
   * returned, to wait for more.
   */
  List<PdfElement> encode(List<PdfElement> items, boolean image, boolean all, Emitter out) {
    reportModelLoad();
    if (items.isEmpty()) {
      return List.of();
    }
    int batchSize = batchSize(image);
    List<List<PdfElement>> batches = image ? fixedBatches(items, batchSize) : textBatches(items);
    List<PdfElement> keep = List.of();
    if (!all && batches.get(batches.size() - 1).size() < batchSize) {
      keep = batches.remove(batches.size() - 1);
    }
    EmbeddingModel model = lease.model();
    for (List<PdfElement> batch : batches) {
      if (image) {
        encodeImages(model, batch, batchSize, out);
      } else {
        encodeTexts(model, batch, batchSize, out);
      }
    }
    return keep;
  }

  /** Sorted by token count, then cut by count and by padded tokens (batch size x longest). */
  private List<List<PdfElement>> textBatches(List<PdfElement> items) {
    items = new ArrayList<>(items);
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

  private void encodeTexts(EmbeddingModel model, List<PdfElement> batch, int batchSize, Emitter out) {
    List<String> texts = new ArrayList<>(batch.size());
    batch.forEach(e -> texts.add(e.getText()));
    try {
      EmbeddingModel.TextVectors vectors = model.embedTexts(texts, false);
      EncodeCounters.truncatedChunks.inc(vectors.truncated);
      emit(model, batch, vectors.vectors, batchSize, out);
    } catch (RuntimeException batchFailure) {
      // Find the element that fails; encode the others alone.
      for (PdfElement e : batch) {
        try {
          EmbeddingModel.TextVectors one = model.embedTexts(List.of(e.getText()), false);
          EncodeCounters.truncatedChunks.inc(one.truncated);
          emit(model, List.of(e), one.vectors, 1, out);
        } catch (RuntimeException failure) {
          fail(e, "the model failed on this text chunk: " + failure.getMessage(), out);
        }
      }
    }
  }

  private void encodeImages(EmbeddingModel model, List<PdfElement> batch, int batchSize, Emitter out) {
    List<PdfElement> ok = new ArrayList<>(batch.size());
    List<float[]> pixels = new ArrayList<>(batch.size());
    for (PdfElement e : batch) {
      try {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(e.getImageBytes()));
        if (image == null) {
          throw new IOException("no image decoder recognises these " + e.getImageBytes().length + " bytes");
        }
        pixels.add(model.manifest().image().apply(image));
        ok.add(e);
      } catch (IOException | RuntimeException failure) {
        fail(e, "the image cannot be decoded for the model: " + failure.getMessage(), out);
      }
    }
    if (ok.isEmpty()) {
      return;
    }
    try {
      emit(model, ok, model.embedImages(pixels), batchSize, out);
    } catch (RuntimeException batchFailure) {
      for (int i = 0; i < ok.size(); i++) {
        try {
          emit(model, List.of(ok.get(i)), model.embedImages(List.of(pixels.get(i))), 1, out);
        } catch (RuntimeException failure) {
          fail(ok.get(i), "the model failed on this image: " + failure.getMessage(), out);
        }
      }
    }
  }

  private void emit(EmbeddingModel model, List<PdfElement> batch, float[][] vectors, int batchSize, Emitter out) {
    String modelId = model.manifest().id();
    for (int i = 0; i < batch.size(); i++) {
      out.embedded(new EmbeddedElement(batch.get(i), vectors[i], modelId));
    }
    EncodeCounters.encoded.inc(batch.size());
    EncodeCounters.batches.inc();
    jvmBatches.inc();
    EncodeCounters.batchSlotsUsed.inc(batch.size());
    EncodeCounters.batchSlots.inc(batchSize);
  }

  private static void fail(PdfElement e, String message, Emitter out) {
    EncodeCounters.encodeFailures.inc();
    out.deadLetter(DeadLetter.forElement(e.getSource(), e.getDocumentId(), "encode", ErrorKind.ENCODE_FAILED,
        message, e.getPage(), e.getType().label() + " " + e.getId()));
  }

  /**
   * model_loads counts real loads, once each, reported by whichever user of the loaded model does
   * work first (on Flink the user that loaded it may get no elements). Call it in a bundle.
   */
  void reportModelLoad() {
    if (lease.takeLoadReport()) {
      EncodeCounters.modelLoads.inc();
      EncodeCounters.device(lease.model().device().name()).inc();
    }
  }

  @Override
  public void close() {
    lease.close();
  }
}

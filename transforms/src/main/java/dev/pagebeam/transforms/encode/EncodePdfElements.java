package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.model.ImagePreprocessing;
import dev.pagebeam.transforms.model.ModelManifest;
import dev.pagebeam.transforms.split.DeadLetter;
import dev.pagebeam.transforms.split.ElementType;
import dev.pagebeam.transforms.split.EncodedImage;
import dev.pagebeam.transforms.split.PdfElement;
import dev.pagebeam.transforms.split.WithDeadLetters;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * PDF elements to vectors with one embedding model: KeyByShard (text and images on separate keys)
 * then EncodeBatches (the stateful {@link BatchEncodeFn}).
 *
 * <p>With a text-only model an embedded image is embedded by its text (caption and OCR), without
 * its bytes; a page thumbnail is not encoded, since its page's text records point at it. An image
 * with nothing to embed goes no further and is counted: {@code images_without_text} (counted by the
 * split: OCR found nothing and there is no caption) or {@code images_without_encoder} (OCR was off,
 * or a thumbnail of a page without any text). A model that encodes images gets every image's pixels,
 * and an image's text becomes a text record of its own as well.
 */
public final class EncodePdfElements extends PTransform<PCollection<PdfElement>, EncodePdfElements.Result> {
  private final EncodeSettings settings;

  private EncodePdfElements(EncodeSettings settings) {
    this.settings = settings;
  }

  public static EncodePdfElements with(EncodeSettings settings) {
    return new EncodePdfElements(settings);
  }

  @Override
  public Result expand(PCollection<PdfElement> elements) {
    ModelManifest manifest;
    try {
      manifest = ModelManifest.load(settings.model().location());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read model " + settings.model().location() + ": " + e.getMessage(), e);
    }
    PCollection<KV<String, PdfElement>> keyed = elements
        .apply("KeyByShard", ParDo.of(new KeyByShardFn(settings.shards(),
            manifest.encodesImages() ? manifest.image() : null)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), PdfElement.ElementCoder.of()));
    PCollectionTuple encoded = keyed.apply("EncodeBatches", ParDo.of(new BatchEncodeFn(settings))
        .withOutputTags(BatchEncodeFn.EMBEDDED, TupleTagList.of(BatchEncodeFn.DEAD_LETTERS)));
    encoded.get(BatchEncodeFn.EMBEDDED).setCoder(EmbeddedElement.EmbeddedCoder.of());
    encoded.get(BatchEncodeFn.DEAD_LETTERS).setCoder(DeadLetter.DeadLetterCoder.of());
    return new Result(elements.getPipeline(), encoded.get(BatchEncodeFn.EMBEDDED),
        encoded.get(BatchEncodeFn.DEAD_LETTERS));
  }

  /** Routes each element to a text or image key, or counts it when it has nothing to embed. */
  static final class KeyByShardFn extends DoFn<PdfElement, KV<String, PdfElement>> {
    private final int shards;
    private final ImagePreprocessing images;
    private final boolean encodesImages;

    /** {@code images}: the model's image preprocessing, or null for a text-only model. */
    KeyByShardFn(int shards, ImagePreprocessing images) {
      this.shards = shards;
      this.images = images;
      this.encodesImages = images != null;
    }

    @ProcessElement
    public void process(@Element PdfElement e, OutputReceiver<KV<String, PdfElement>> out) {
      if (!e.getType().isImage()) {
        route(KV.of(ShardKeys.text(e, shards), e), out);
      } else if (encodesImages) {
        route(KV.of(ShardKeys.image(e, shards), reduced(e)), out);
        if (e.hasText()) {
          PdfElement text = e.imageTextChunk();
          route(KV.of(ShardKeys.text(text, shards), text), out);
        }
      } else if (e.hasText()) {
        // Only the text travels to the encoder.
        route(KV.of(ShardKeys.text(e, shards), e.withoutImageBytes()), out);
      } else if (!coveredElsewhere(e)) {
        EncodeCounters.imagesWithoutEncoder.inc();
      }
    }

    private static void route(KV<String, PdfElement> keyed, OutputReceiver<KV<String, PdfElement>> out) {
      EncodeCounters.encoderInput.inc();
      out.output(keyed);
    }

    /**
     * The image at the size the model sees it (a 1,024 px screenshot travels as 224 px for CLIP):
     * the encoder computes exactly the same input from it. One that cannot be decoded travels as it
     * is; the encoder makes it a dead letter.
     */
    private PdfElement reduced(PdfElement e) {
      try {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(e.getImageBytes()));
        if (image == null) {
          return e;
        }
        BufferedImage small = images.reduce(image);
        return small == image ? e : e.withImage(EncodedImage.png(small));
      } catch (IOException | RuntimeException failure) {
        return e;
      }
    }

    /**
     * A thumbnail whose page has text (its own or OCR's) is found through that text; an embedded
     * image that OCR found nothing in is already counted as images_without_text.
     */
    private static boolean coveredElsewhere(PdfElement e) {
      if (e.getType() == ElementType.PAGE_IMAGE) {
        return e.image().pageHasText() || e.image().pageReadByOcr();
      }
      return e.image().ocrText() != null;
    }
  }

  /** Vectors and the elements that could not be encoded. */
  public static final class Result extends WithDeadLetters<EmbeddedElement> {
    Result(Pipeline pipeline, PCollection<EmbeddedElement> embedded, PCollection<DeadLetter> deadLetters) {
      super("embedded", pipeline, embedded, deadLetters);
    }

    public PCollection<EmbeddedElement> embedded() {
      return output();
    }
  }
}

package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.model.ModelManifest;
import dev.pagebeam.transforms.split.DeadLetter;
import dev.pagebeam.transforms.split.PdfElement;
import dev.pagebeam.transforms.split.WithDeadLetters;
import java.io.IOException;
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
 * then EncodeBatches (the stateful {@link BatchEncodeFn}). With a text-only model, image elements
 * are not encoded: they are counted as {@code images_without_encoder} and go no further (their
 * bytes are never shuffled).
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
        .apply("KeyByShard", ParDo.of(new KeyByShardFn(settings.shards(), manifest.encodesImages())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), PdfElement.ElementCoder.of()));
    PCollectionTuple encoded = keyed.apply("EncodeBatches", ParDo.of(new BatchEncodeFn(settings))
        .withOutputTags(BatchEncodeFn.EMBEDDED, TupleTagList.of(BatchEncodeFn.DEAD_LETTERS)));
    encoded.get(BatchEncodeFn.EMBEDDED).setCoder(EmbeddedElement.EmbeddedCoder.of());
    encoded.get(BatchEncodeFn.DEAD_LETTERS).setCoder(DeadLetter.DeadLetterCoder.of());
    return new Result(elements.getPipeline(), encoded.get(BatchEncodeFn.EMBEDDED),
        encoded.get(BatchEncodeFn.DEAD_LETTERS));
  }

  private static final class KeyByShardFn extends DoFn<PdfElement, KV<String, PdfElement>> {
    private final int shards;
    private final boolean encodesImages;

    KeyByShardFn(int shards, boolean encodesImages) {
      this.shards = shards;
      this.encodesImages = encodesImages;
    }

    @ProcessElement
    public void process(@Element PdfElement e, OutputReceiver<KV<String, PdfElement>> out) {
      if (e.getType().isImage() && !encodesImages) {
        EncodeCounters.imagesWithoutEncoder.inc();
        return;
      }
      out.output(KV.of(ShardKeys.of(e, shards), e));
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

package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.model.ModelManifest;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.WithDeadLetters;
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
 * PDF elements to vectors with one embedding model, in one of two ways ({@link EncodeSettings.Batching}):
 * keyed (KeyByShard then EncodeBatches, the stateful {@link BatchEncodeFn}: batches stay full across
 * small bundles, at the price of a shuffle) or in-bundle ({@link BundleEncodeFn}: no shuffle, for
 * runners with large bundles). What each element contributes is {@link EncoderRouting}'s decision.
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
    EncoderRouting routing = new EncoderRouting(manifest.encodesImages() ? manifest.image() : null);
    PCollectionTuple encoded;
    if (settings.batching() == EncodeSettings.Batching.KEYED) {
      encoded = elements
          .apply("KeyByShard", ParDo.of(new KeyByShardFn(settings.shards(), routing)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), PdfElement.ElementCoder.of()))
          .apply("EncodeBatches", ParDo.of(new BatchEncodeFn(settings))
              .withOutputTags(BatchEncodeFn.EMBEDDED, TupleTagList.of(BatchEncodeFn.DEAD_LETTERS)));
    } else {
      encoded = elements.apply("EncodeBatches", ParDo.of(new BundleEncodeFn(settings, routing))
          .withOutputTags(BatchEncodeFn.EMBEDDED, TupleTagList.of(BatchEncodeFn.DEAD_LETTERS)));
    }
    encoded.get(BatchEncodeFn.EMBEDDED).setCoder(EmbeddedElement.EmbeddedCoder.of());
    encoded.get(BatchEncodeFn.DEAD_LETTERS).setCoder(DeadLetter.CODER);
    return new Result(elements.getPipeline(), encoded.get(BatchEncodeFn.EMBEDDED),
        encoded.get(BatchEncodeFn.DEAD_LETTERS));
  }

  /** Routes each element to a text or image shard key ({@link EncoderRouting}). */
  static final class KeyByShardFn extends DoFn<PdfElement, KV<String, PdfElement>> {
    private final int shards;
    private final EncoderRouting routing;

    KeyByShardFn(int shards, EncoderRouting routing) {
      this.shards = shards;
      this.routing = routing;
    }

    @ProcessElement
    public void process(@Element PdfElement e, OutputReceiver<KV<String, PdfElement>> out) {
      routing.route(e, new EncoderRouting.Target() {
        @Override
        public void text(PdfElement t) {
          out.output(KV.of(ShardKeys.text(t, shards), t));
        }

        @Override
        public void image(PdfElement i) {
          out.output(KV.of(ShardKeys.image(i, shards), i));
        }
      });
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

package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.model.ModelTokenizer;
import java.io.IOException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Page texts to token-bounded text chunks ({@link #CHUNKS}) using the embedding model's tokenizer;
 * pages whose text cannot be chunked go to {@link #DEAD_LETTERS}.
 */
public final class ChunkPageText extends PTransform<PCollection<PageText>, PCollectionTuple> {
  public static final TupleTag<PdfElement> CHUNKS = new TupleTag<PdfElement>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  private final SplitSettings settings;

  private ChunkPageText(SplitSettings settings) {
    this.settings = settings;
  }

  public static ChunkPageText with(SplitSettings settings) {
    return new ChunkPageText(settings);
  }

  @Override
  public PCollectionTuple expand(PCollection<PageText> pages) {
    // Fail at construction, not on the first page, when the tokenizer cannot load or the
    // chunk size does not fit it.
    try (ModelTokenizer tokenizer = ModelTokenizer.load(settings.tokenizerModel())) {
      new TokenChunker(tokenizer, settings.maxTokens(), settings.overlapTokens());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot load the tokenizer of model " + settings.tokenizerModel() + ": " + e.getMessage(), e);
    }
    PCollectionTuple out = pages.apply("Chunk", ParDo.of(new ChunkPageTextFn(settings))
        .withOutputTags(CHUNKS, TupleTagList.of(DEAD_LETTERS)));
    out.get(CHUNKS).setCoder(PdfElement.ElementCoder.of());
    out.get(DEAD_LETTERS).setCoder(DeadLetter.CODER);
    return out;
  }
}

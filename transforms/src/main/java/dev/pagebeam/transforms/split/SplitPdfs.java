package dev.pagebeam.transforms.split;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * File patterns (any Beam FileSystem path or glob) to PDF elements: token-aware text chunks, page
 * thumbnails and embedded images, plus a dead-letter output for everything that could not be read.
 *
 * <pre>{@code
 * SplitPdfs.Result split = pipeline
 *     .apply(Create.of("/data/manuals/*.pdf"))
 *     .apply(SplitPdfs.with(SplitSettings.defaults()));
 * split.elements();     // PCollection<PdfElement>
 * split.deadLetters();  // PCollection<DeadLetter>
 * }</pre>
 *
 * <p>Steps: MatchFiles (paths only are shuffled, never PDF bytes) -> ExtractPages (one PDFBox
 * pass per document) -> ChunkPageText.
 */
public final class SplitPdfs extends PTransform<PCollection<String>, SplitPdfs.Result> {
  private static final TupleTag<PageText> PAGE_TEXTS = new TupleTag<PageText>() {};
  private static final TupleTag<PdfElement> IMAGES = new TupleTag<PdfElement>() {};
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  private final SplitSettings settings;

  private SplitPdfs(SplitSettings settings) {
    this.settings = settings;
  }

  public static SplitPdfs with(SplitSettings settings) {
    return new SplitPdfs(settings);
  }

  public SplitSettings settings() {
    return settings;
  }

  @Override
  public Result expand(PCollection<String> patterns) {
    PCollection<MatchResult.Metadata> files = patterns
        .apply("MatchFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW_IF_WILDCARD))
        // Spread files over workers; only metadata (path, size) is shuffled.
        .apply("SpreadFiles", Reshuffle.viaRandomKey());

    PCollectionTuple extracted = files.apply("ExtractPages",
        ParDo.of(new ExtractPdfPagesFn(settings, PAGE_TEXTS, IMAGES, DEAD_LETTERS))
            .withOutputTags(PAGE_TEXTS, TupleTagList.of(IMAGES).and(DEAD_LETTERS)));
    extracted.get(PAGE_TEXTS).setCoder(PageText.PageTextCoder.of());
    extracted.get(IMAGES).setCoder(PdfElement.ElementCoder.of());
    extracted.get(DEAD_LETTERS).setCoder(DeadLetter.DeadLetterCoder.of());

    PCollectionTuple chunked = extracted.get(PAGE_TEXTS).apply("ChunkPageText", ChunkPageText.with(settings));

    PCollection<PdfElement> elements = PCollectionList.of(chunked.get(ChunkPageText.CHUNKS))
        .and(extracted.get(IMAGES))
        .apply("Elements", Flatten.pCollections());
    PCollection<DeadLetter> deadLetters = PCollectionList.of(extracted.get(DEAD_LETTERS))
        .and(chunked.get(ChunkPageText.DEAD_LETTERS))
        .apply("DeadLetters", Flatten.pCollections());
    return new Result(patterns.getPipeline(), elements, deadLetters);
  }

  /** The split's two outputs: elements and dead letters. */
  public static final class Result implements POutput {
    private static final TupleTag<PdfElement> ELEMENTS_TAG = new TupleTag<>("elements");
    private static final TupleTag<DeadLetter> DEAD_LETTERS_TAG = new TupleTag<>("deadLetters");

    private final Pipeline pipeline;
    private final PCollection<PdfElement> elements;
    private final PCollection<DeadLetter> deadLetters;

    Result(Pipeline pipeline, PCollection<PdfElement> elements, PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.elements = elements;
      this.deadLetters = deadLetters;
    }

    public PCollection<PdfElement> elements() {
      return elements;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(ELEMENTS_TAG, elements, DEAD_LETTERS_TAG, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}

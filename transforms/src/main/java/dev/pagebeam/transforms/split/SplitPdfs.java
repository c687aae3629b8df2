package dev.pagebeam.transforms.split;

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
 * pass per document; a document longer than {@code pagesPerTask} pages is cut into page ranges)
 * -> ExtractPageRanges (the ranges, spread over workers) -> ChunkPageText.
 */
public final class SplitPdfs extends PTransform<PCollection<String>, SplitPdfs.Result> {
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

    TupleTagList outputs = TupleTagList.of(SplitOutputs.IMAGES).and(SplitOutputs.DEAD_LETTERS);
    PCollectionTuple whole = files.apply("ExtractPages",
        ParDo.of(new ExtractPdfPagesFn(settings)).withOutputTags(SplitOutputs.PAGE_TEXTS,
            outputs.and(SplitOutputs.TASKS)));
    setCoders(whole);
    whole.get(SplitOutputs.TASKS).setCoder(DocumentTask.TaskCoder.of());

    // Long documents come back as page-range tasks: spread them too (a path and two numbers each).
    PCollectionTuple ranges = whole.get(SplitOutputs.TASKS)
        .apply("SpreadPageRanges", Reshuffle.viaRandomKey())
        .apply("ExtractPageRanges", ParDo.of(new ExtractPageRangeFn(settings))
            .withOutputTags(SplitOutputs.PAGE_TEXTS, outputs));
    setCoders(ranges);

    PCollectionTuple chunked = PCollectionList.of(whole.get(SplitOutputs.PAGE_TEXTS))
        .and(ranges.get(SplitOutputs.PAGE_TEXTS))
        .apply("PageTexts", Flatten.pCollections())
        .apply("ChunkPageText", ChunkPageText.with(settings));

    PCollection<PdfElement> elements = PCollectionList.of(chunked.get(ChunkPageText.CHUNKS))
        .and(whole.get(SplitOutputs.IMAGES))
        .and(ranges.get(SplitOutputs.IMAGES))
        .apply("Elements", Flatten.pCollections());
    PCollection<DeadLetter> deadLetters = PCollectionList.of(whole.get(SplitOutputs.DEAD_LETTERS))
        .and(ranges.get(SplitOutputs.DEAD_LETTERS))
        .and(chunked.get(ChunkPageText.DEAD_LETTERS))
        .apply("DeadLetters", Flatten.pCollections());
    return new Result(patterns.getPipeline(), elements, deadLetters);
  }

  private static void setCoders(PCollectionTuple tuple) {
    tuple.get(SplitOutputs.PAGE_TEXTS).setCoder(PageText.PageTextCoder.of());
    tuple.get(SplitOutputs.IMAGES).setCoder(PdfElement.ElementCoder.of());
    tuple.get(SplitOutputs.DEAD_LETTERS).setCoder(DeadLetter.DeadLetterCoder.of());
  }

  /** The split's two outputs: elements and dead letters. */
  public static final class Result extends WithDeadLetters<PdfElement> {
    Result(Pipeline pipeline, PCollection<PdfElement> elements, PCollection<DeadLetter> deadLetters) {
      super("elements", pipeline, elements, deadLetters);
    }

    public PCollection<PdfElement> elements() {
      return output();
    }
  }
}

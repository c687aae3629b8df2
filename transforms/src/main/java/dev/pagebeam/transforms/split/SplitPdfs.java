package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.WithDeadLetters;
import dev.pagebeam.transforms.core.DeadLetter;
import java.util.ArrayList;
import java.util.List;
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
 * -> ExtractPageRanges (the ranges, spread over workers) -> ReadScannedPages (OCR of the pages
 * without a text layer, as tasks of a few pages spread over workers) -> ChunkPageText; the
 * embedded images go through ReadImageText (caption, OCR and context).
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

  /**
   * Matches file patterns (paths, globs) to the files SplitPdfs reads. The match is not followed by
   * FileIO's own reshuffle (a random key per file): every consumer spreads the files itself, over a
   * bounded number of keys ({@link #files}, the incremental check), and a key per file costs the
   * DirectRunner a bundle and a watermark hold per file in every step after it.
   */
  public static PTransform<PCollection<String>, PCollection<MatchResult.Metadata>> match() {
    return FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW_IF_WILDCARD)
        .withOutputParallelization(false);
  }

  /**
   * Splits files already matched (for example those that incremental ingest found changed),
   * spread over {@code spreadKeys} shuffle keys (0: a key per file). A runner that makes a bundle of
   * every key pays its per-bundle cost once per key in every step after the spread (the
   * DirectRunner's is milliseconds a step), so a run of many small files is cheaper with a few files
   * per key; on a cluster, keys well above the slot count spread as evenly as a key per file.
   */
  public static PTransform<PCollection<MatchResult.Metadata>, Result> files(SplitSettings settings,
      int spreadKeys) {
    return new PTransform<PCollection<MatchResult.Metadata>, Result>() {
      @Override
      public Result expand(PCollection<MatchResult.Metadata> files) {
        return split(files, settings, spreadKeys);
      }
    };
  }

  @Override
  public Result expand(PCollection<String> patterns) {
    return split(patterns.apply("MatchFiles", match()), settings, 0);
  }

  private static Result split(PCollection<MatchResult.Metadata> matched, SplitSettings settings, int spreadKeys) {
    // Spread files over workers; only metadata (path, size) is shuffled.
    PCollection<MatchResult.Metadata> files = matched.apply("SpreadFiles",
        Reshuffle.<MatchResult.Metadata>viaRandomKey().withNumBuckets(spreadKeys > 0 ? spreadKeys : null));

    TupleTagList outputs = TupleTagList.of(SplitOutputs.IMAGES).and(SplitOutputs.DEAD_LETTERS);
    outputs = outputs.and(SplitOutputs.REPORTS);
    PCollectionTuple whole = files.apply("ExtractPages",
        ParDo.of(new ExtractPdfPagesFn(settings)).withOutputTags(SplitOutputs.PAGE_TEXTS,
            outputs.and(SplitOutputs.TASKS).and(SplitOutputs.OCR_TASKS)));
    setCoders(whole);

    // Long documents come back as page-range tasks: spread them too (a path and two numbers each).
    PCollectionTuple ranges = whole.get(SplitOutputs.TASKS)
        .apply("SpreadPageRanges", Reshuffle.viaRandomKey())
        .apply("ExtractPageRanges", ParDo.of(new ExtractPageRangeFn(settings))
            .withOutputTags(SplitOutputs.PAGE_TEXTS, outputs.and(SplitOutputs.OCR_TASKS)));
    setCoders(ranges);

    List<PCollection<PageText>> pageTexts = new ArrayList<>(
        List.of(whole.get(SplitOutputs.PAGE_TEXTS), ranges.get(SplitOutputs.PAGE_TEXTS)));
    List<PCollection<DeadLetter>> deadLetters = new ArrayList<>(
        List.of(whole.get(SplitOutputs.DEAD_LETTERS), ranges.get(SplitOutputs.DEAD_LETTERS)));
    List<PCollection<DocumentReport>> reports = new ArrayList<>(
        List.of(whole.get(SplitOutputs.REPORTS), ranges.get(SplitOutputs.REPORTS)));
    if (settings.ocr().enabled() && settings.text()) {
      // OCR takes seconds a page: its tasks (a path and a few page numbers) are spread on their own.
      PCollectionTuple ocr = PCollectionList.of(whole.get(SplitOutputs.OCR_TASKS))
          .and(ranges.get(SplitOutputs.OCR_TASKS))
          .apply("OcrTasks", Flatten.pCollections())
          .apply("SpreadOcrTasks", Reshuffle.viaRandomKey())
          .apply("ReadScannedPages", ParDo.of(new ReadScannedPagesFn(settings))
              .withOutputTags(SplitOutputs.PAGE_TEXTS,
                  TupleTagList.of(SplitOutputs.DEAD_LETTERS).and(SplitOutputs.REPORTS)));
      ocr.get(SplitOutputs.PAGE_TEXTS).setCoder(PageText.CODER);
      ocr.get(SplitOutputs.DEAD_LETTERS).setCoder(DeadLetter.CODER);
      ocr.get(SplitOutputs.REPORTS).setCoder(DocumentReport.CODER);
      pageTexts.add(ocr.get(SplitOutputs.PAGE_TEXTS));
      deadLetters.add(ocr.get(SplitOutputs.DEAD_LETTERS));
      reports.add(ocr.get(SplitOutputs.REPORTS));
    }

    PCollectionTuple chunked = PCollectionList.of(pageTexts)
        .apply("PageTexts", Flatten.pCollections())
        .apply("ChunkPageText", ChunkPageText.with(settings));
    deadLetters.add(chunked.get(ChunkPageText.DEAD_LETTERS));

    PCollectionTuple images = PCollectionList.of(whole.get(SplitOutputs.IMAGES))
        .and(ranges.get(SplitOutputs.IMAGES))
        .apply("Images", Flatten.pCollections())
        .apply("ReadImageText", ParDo.of(new ReadImageTextFn(settings))
            .withOutputTags(ReadImageTextFn.ELEMENTS, TupleTagList.of(ReadImageTextFn.DEAD_LETTERS)));
    images.get(ReadImageTextFn.ELEMENTS).setCoder(PdfElement.ElementCoder.of());
    images.get(ReadImageTextFn.DEAD_LETTERS).setCoder(DeadLetter.CODER);
    deadLetters.add(images.get(ReadImageTextFn.DEAD_LETTERS));

    PCollection<PdfElement> elements = PCollectionList.of(chunked.get(ChunkPageText.CHUNKS))
        .and(images.get(ReadImageTextFn.ELEMENTS))
        .apply("Elements", Flatten.pCollections());
    return new Result(matched.getPipeline(), elements,
        PCollectionList.of(deadLetters).apply("DeadLetters", Flatten.pCollections()),
        PCollectionList.of(reports).apply("Reports", Flatten.pCollections()));
  }

  private static void setCoders(PCollectionTuple tuple) {
    tuple.get(SplitOutputs.PAGE_TEXTS).setCoder(PageText.CODER);
    tuple.get(SplitOutputs.IMAGES).setCoder(PdfElement.ElementCoder.of());
    tuple.get(SplitOutputs.DEAD_LETTERS).setCoder(DeadLetter.CODER);
    tuple.get(SplitOutputs.OCR_TASKS).setCoder(DocumentTask.CODER);
    tuple.get(SplitOutputs.REPORTS).setCoder(DocumentReport.CODER);
    if (tuple.has(SplitOutputs.TASKS)) {
      tuple.get(SplitOutputs.TASKS).setCoder(DocumentTask.CODER);
    }
  }

  /** The split's outputs: elements, dead letters, and what was done with each file. */
  public static final class Result extends WithDeadLetters<PdfElement> {
    private final PCollection<DocumentReport> reports;
    private final org.apache.beam.sdk.values.TupleTag<DocumentReport> reportsTag =
        new org.apache.beam.sdk.values.TupleTag<>("reports");

    Result(Pipeline pipeline, PCollection<PdfElement> elements, PCollection<DeadLetter> deadLetters,
        PCollection<DocumentReport> reports) {
      super("elements", pipeline, elements, deadLetters);
      this.reports = reports;
    }

    public PCollection<PdfElement> elements() {
      return output();
    }

    /** One report per matched file ({@link DocumentReport#isFileReport()}) and one per page-range or OCR task. */
    public PCollection<DocumentReport> reports() {
      return reports;
    }

    @Override
    public java.util.Map<org.apache.beam.sdk.values.TupleTag<?>, org.apache.beam.sdk.values.PValue> expand() {
      java.util.Map<org.apache.beam.sdk.values.TupleTag<?>, org.apache.beam.sdk.values.PValue> all =
          new java.util.HashMap<>(super.expand());
      all.put(reportsTag, reports);
      return all;
    }
  }
}

package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens each matched file once and emits its page texts, page thumbnails, embedded images and dead
 * letters. Only the file's path travels to this step; the bytes are read here.
 */
class ExtractPdfPagesFn extends DoFn<MatchResult.Metadata, PageText> {
  private static final Logger LOG = LoggerFactory.getLogger(ExtractPdfPagesFn.class);

  private final SplitSettings settings;
  private final TupleTag<PageText> pageTextTag;
  private final TupleTag<PdfElement> imagesTag;
  private final TupleTag<DeadLetter> deadLettersTag;
  private transient PdfDocumentSplitter splitter;

  ExtractPdfPagesFn(SplitSettings settings, TupleTag<PageText> pageTextTag, TupleTag<PdfElement> imagesTag,
      TupleTag<DeadLetter> deadLettersTag) {
    this.settings = settings;
    this.pageTextTag = pageTextTag;
    this.imagesTag = imagesTag;
    this.deadLettersTag = deadLettersTag;
  }

  @Setup
  public void setup() {
    splitter = new PdfDocumentSplitter(settings);
  }

  @ProcessElement
  public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
    String source = file.resourceId().toString();
    SplitCounters.filesSeen.inc();
    long started = System.nanoTime();
    SplitOutput sink = new SplitOutput() {
      @Override
      public void pageText(PageText page) {
        out.get(pageTextTag).output(page);
      }

      @Override
      public void image(PdfElement image) {
        out.get(imagesTag).output(image);
      }

      @Override
      public void deadLetter(DeadLetter deadLetter) {
        out.get(deadLettersTag).output(deadLetter);
      }
    };
    DocumentOutcome outcome;
    try (ReadableByteChannel channel = FileSystems.open(file.resourceId())) {
      outcome = splitter.split(source, channel, file.sizeBytes(), sink);
    } catch (IOException e) {
      outcome = new DocumentOutcome();
      outcome.failed = true;
      outcome.deadLetters = 1;
      sink.deadLetter(DeadLetter.forFile(source, null, DeadLetter.STAGE_OPEN, ErrorKind.IO_ERROR,
          "could not open the file: " + e));
    }
    (outcome.failed ? SplitCounters.filesFailed : SplitCounters.filesOk).inc();
    SplitCounters.pages.inc(outcome.pages);
    SplitCounters.pagesWithoutText.inc(outcome.pagesWithoutText);
    SplitCounters.pageImages.inc(outcome.pageImages);
    SplitCounters.embeddedImages.inc(outcome.embeddedImages);
    SplitCounters.deadLetters.inc(outcome.deadLetters);
    LOG.debug("{}: {} pages in {} ms{}", source, outcome.pages, (System.nanoTime() - started) / 1_000_000,
        outcome.failed ? " (failed)" : "");
  }
}

package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens each matched file once: splits it whole when it is short, or emits page-range tasks (to
 * {@link SplitOutputs#TASKS}) when it is long; pages for OCR become OCR tasks
 * ({@link SplitOutputs#OCR_TASKS}). Only the file's path travels to this step.
 */
class ExtractPdfPagesFn extends DoFn<MatchResult.Metadata, PageText> {
  private static final Logger LOG = LoggerFactory.getLogger(ExtractPdfPagesFn.class);

  private final SplitSettings settings;
  private transient PdfDocumentSplitter splitter;

  ExtractPdfPagesFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() {
    splitter = new PdfDocumentSplitter(settings);
  }

  @ProcessElement
  public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
    String source = file.resourceId().toString();
    SplitCounters.filesSeen.inc();
    SplitOutput sink = SplitOutputs.to(out);
    DocumentOutcome outcome;
    try (ReadableByteChannel channel = FileSystems.open(file.resourceId())) {
      outcome = splitter.split(source, channel, file.sizeBytes(), sink, SplitOutputs.tasks(out));
    } catch (IOException e) {
      outcome = new DocumentOutcome();
      outcome.failed = true;
      outcome.deadLetters = 1;
      outcome.failure = ErrorKind.IO_ERROR.name() + ": could not open the file: " + e;
      sink.deadLetter(DeadLetter.forFile(source, null, DeadLetter.STAGE_OPEN, ErrorKind.IO_ERROR,
          "could not open the file: " + e));
    }
    out.get(SplitOutputs.REPORTS).output(DocumentReport.of(source, outcome.documentId, true, outcome));
    (outcome.failed ? SplitCounters.filesFailed : SplitCounters.filesOk).inc();
    SplitOutputs.count(outcome);
    if (outcome.tasks > 0) {
      LOG.debug("{}: {} pages, split into {} tasks", source, outcome.pageCount, outcome.tasks);
    }
  }
}

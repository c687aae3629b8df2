package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens each matched file once: splits it whole when it is short, or emits page-range tasks (to
 * {@link SplitOutputs#TASKS}) when it is long; pages for OCR become OCR tasks
 * ({@link SplitOutputs#OCR_TASKS}). Only the file's path travels to this step. Each file runs under
 * {@link FileTaskRunner}: whatever the file does, it ends with one report and the run goes on.
 */
class ExtractPdfPagesFn extends DoFn<MatchResult.Metadata, PageText> {
  private static final Logger LOG = LoggerFactory.getLogger(ExtractPdfPagesFn.class);

  private final SplitSettings settings;
  private transient PdfDocumentSplitter splitter;
  private transient FileTaskRunner runner;

  ExtractPdfPagesFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() {
    splitter = new PdfDocumentSplitter(settings);
    runner = new FileTaskRunner("ExtractPages", settings.fileTimeoutSeconds(), FileTaskRunner.GRACE_MILLIS);
  }

  @ProcessElement
  public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) throws InterruptedException {
    String source = file.resourceId().toString();
    SplitCounters.filesSeen.inc();
    SplitOutput sink = SplitOutputs.to(out);
    DocumentOutcome outcome = runner.run((deadline, to, tasks) -> {
      try (ReadableByteChannel channel = FileSystems.open(file.resourceId())) {
        return splitter.split(source, channel, file.sizeBytes(), to, tasks, deadline);
      }
    }, sink, SplitOutputs.tasks(out), (failure, to) -> failure.ofFile(source, to));
    out.get(SplitOutputs.REPORTS).output(DocumentReport.of(source, outcome.documentId, true, outcome));
    SplitOutputs.count(outcome);
    if (outcome.tasks > 0) {
      LOG.debug("{}: {} pages, split into {} tasks", source, outcome.pageCount, outcome.tasks);
    }
  }

  @Teardown
  public void teardown() {
    if (runner != null) {
      runner.close();
    }
  }
}

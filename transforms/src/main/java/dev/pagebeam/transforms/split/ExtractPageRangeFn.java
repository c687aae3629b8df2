package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.core.DeadLetter;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Runs one task of a long document: reads the file again and splits the task's pages; pages for
 * OCR become OCR tasks ({@link SplitOutputs#OCR_TASKS}). Each task runs under {@link FileTaskRunner}.
 */
class ExtractPageRangeFn extends DoFn<DocumentTask, PageText> {
  private final SplitSettings settings;
  private transient PdfDocumentSplitter splitter;
  private transient FileTaskRunner runner;

  ExtractPageRangeFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() {
    splitter = new PdfDocumentSplitter(settings);
    runner = new FileTaskRunner("ExtractPageRanges", settings.fileTimeoutSeconds(), FileTaskRunner.GRACE_MILLIS);
  }

  @ProcessElement
  public void process(@Element DocumentTask task, MultiOutputReceiver out) throws InterruptedException {
    SplitOutput sink = SplitOutputs.to(out);
    DocumentOutcome outcome = runner.run((deadline, to, tasks) -> {
      try (ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(task.source(), false))) {
        return splitter.runTask(task, channel, to, tasks, deadline);
      }
    }, sink, SplitOutputs.tasks(out), (failure, to) -> failure.ofTask(task, DeadLetter.STAGE_SPLIT, to));
    SplitOutputs.count(outcome);
    out.get(SplitOutputs.REPORTS).output(DocumentReport.of(task.source(), task.documentId(), false, outcome));
  }

  @Teardown
  public void teardown() {
    if (runner != null) {
      runner.close();
    }
  }
}

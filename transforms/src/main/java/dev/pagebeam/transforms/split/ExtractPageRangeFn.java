package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Runs one task of a long document: reads the file again and splits the task's pages; pages for
 * OCR become OCR tasks ({@link SplitOutputs#OCR_TASKS}).
 */
class ExtractPageRangeFn extends DoFn<DocumentTask, PageText> {
  private final SplitSettings settings;
  private transient PdfDocumentSplitter splitter;

  ExtractPageRangeFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() {
    splitter = new PdfDocumentSplitter(settings);
  }

  @ProcessElement
  public void process(@Element DocumentTask task, MultiOutputReceiver out) {
    SplitOutput sink = SplitOutputs.to(out);
    DocumentOutcome outcome;
    try (ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(task.source(), false))) {
      outcome = splitter.runTask(task, channel, sink, SplitOutputs.tasks(out));
    } catch (IOException e) {
      outcome = new DocumentOutcome();
      outcome.deadLetters = 1;
      sink.deadLetter(DeadLetter.forElement(task.source(), task.documentId(), DeadLetter.STAGE_OPEN,
          ErrorKind.IO_ERROR, "could not open the file again for " + task.describe() + ": " + e, task.firstPage(),
          task.describe()));
    }
    SplitOutputs.count(outcome);
    out.get(SplitOutputs.REPORTS).output(DocumentReport.of(task.source(), task.documentId(), false, outcome));
  }
}

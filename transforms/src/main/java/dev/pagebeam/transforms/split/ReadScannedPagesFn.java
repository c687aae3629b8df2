package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.ocr.OcrEngine;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Runs OCR tasks: reads the file again, renders the task's pages at the OCR resolution and reads
 * them. Each instance owns one OCR engine (Tesseract is not thread-safe), from setup to teardown;
 * a task abandoned by {@link FileTaskRunner} keeps its engine, which is closed when that task ends,
 * and this instance opens another.
 */
class ReadScannedPagesFn extends DoFn<DocumentTask, PageText> {
  private final SplitSettings settings;
  private transient OcrEngine ocr;
  private transient PdfDocumentSplitter splitter;
  private transient FileTaskRunner runner;

  ReadScannedPagesFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() throws IOException {
    ocr = OcrEngine.open(settings.ocr());
    splitter = new PdfDocumentSplitter(settings, ocr);
    runner = new FileTaskRunner("ReadScannedPages", settings.fileTimeoutSeconds(), FileTaskRunner.GRACE_MILLIS);
  }

  @ProcessElement
  public void process(@Element DocumentTask task, MultiOutputReceiver out) throws InterruptedException, IOException {
    SplitOutput sink = SplitOutputs.to(out);
    PdfDocumentSplitter current = splitter;
    DocumentOutcome outcome = runner.run((deadline, to, tasks) -> {
      try (ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(task.source(), false))) {
        return current.runTask(task, channel, to, null, deadline);
      }
    }, sink, null, (failure, to) -> failure.ofTask(task, DeadLetter.STAGE_OCR, to));
    if (runner.abandonedLast()) {
      // the abandoned task may still be inside the engine: it closes that one, we take a new one
      OcrEngine old = ocr;
      runner.whenAbandonedWorkEnds(old::close);
      ocr = OcrEngine.open(settings.ocr());
      splitter = new PdfDocumentSplitter(settings, ocr);
    }
    SplitOutputs.count(outcome);
    out.get(SplitOutputs.REPORTS).output(DocumentReport.of(task.source(), task.documentId(), false, outcome));
  }

  @Teardown
  public void teardown() {
    if (runner != null) {
      runner.close();
    }
    if (ocr != null) {
      ocr.close();
      ocr = null;
    }
  }
}

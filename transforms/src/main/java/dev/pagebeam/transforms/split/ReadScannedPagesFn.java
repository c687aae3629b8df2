package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.ocr.OcrEngine;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Runs OCR tasks: reads the file again, renders the task's pages at the OCR resolution and reads
 * them. Each instance owns one OCR engine (Tesseract is not thread-safe), from setup to teardown.
 */
class ReadScannedPagesFn extends DoFn<DocumentTask, PageText> {
  private final SplitSettings settings;
  private transient OcrEngine ocr;
  private transient PdfDocumentSplitter splitter;

  ReadScannedPagesFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() throws IOException {
    ocr = OcrEngine.open(settings.ocr());
    splitter = new PdfDocumentSplitter(settings, ocr);
  }

  @ProcessElement
  public void process(@Element DocumentTask task, MultiOutputReceiver out) {
    SplitOutput sink = SplitOutputs.to(out);
    DocumentOutcome outcome;
    try (ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(task.source(), false))) {
      outcome = splitter.runTask(task, channel, sink);
    } catch (IOException e) {
      outcome = new DocumentOutcome();
      outcome.deadLetters = 1;
      sink.deadLetter(DeadLetter.forElement(task.source(), task.documentId(), DeadLetter.STAGE_OCR,
          ErrorKind.IO_ERROR, "could not open the file again for " + task.describe() + ": " + e, task.firstPage(),
          task.describe()));
    }
    SplitOutputs.count(outcome);
    out.get(SplitOutputs.REPORTS).output(DocumentReport.of(task.source(), task.documentId(), false, outcome));
  }

  @Teardown
  public void teardown() {
    if (ocr != null) {
      ocr.close();
      ocr = null;
    }
  }
}

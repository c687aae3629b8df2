package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.DeadLetter;
import org.apache.beam.sdk.transforms.DoFn.MultiOutputReceiver;
import org.apache.beam.sdk.values.TupleTag;

/** The output tags of the extraction DoFns, and a {@link SplitOutput} that emits to them. */
final class SplitOutputs {
  static final TupleTag<PageText> PAGE_TEXTS = new TupleTag<PageText>() {};
  static final TupleTag<PdfElement> IMAGES = new TupleTag<PdfElement>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  static final TupleTag<DocumentTask> TASKS = new TupleTag<DocumentTask>() {};
  static final TupleTag<DocumentTask> OCR_TASKS = new TupleTag<DocumentTask>() {};
  static final TupleTag<DocumentReport> REPORTS = new TupleTag<DocumentReport>() {};

  private SplitOutputs() {}

  static SplitOutput to(MultiOutputReceiver out) {
    return new SplitOutput() {
      @Override
      public void pageText(PageText page) {
        out.get(PAGE_TEXTS).output(page);
      }

      @Override
      public void image(PdfElement image) {
        out.get(IMAGES).output(image);
      }

      @Override
      public void deadLetter(DeadLetter deadLetter) {
        out.get(DEAD_LETTERS).output(deadLetter);
      }
    };
  }

  /** A task sink that sends OCR tasks to {@link #OCR_TASKS} and the others to {@link #TASKS}. */
  static PdfDocumentSplitter.TaskSink tasks(MultiOutputReceiver out) {
    return task -> out.get(task.kind() == DocumentTask.Kind.OCR ? OCR_TASKS : TASKS).output(task);
  }

  /** Adds what one call produced to the counters. */
  static void count(DocumentOutcome outcome) {
    SplitCounters.pages.inc(outcome.pages);
    SplitCounters.pagesWithoutText.inc(outcome.pagesWithoutText);
    SplitCounters.pageImages.inc(outcome.pageImages);
    SplitCounters.embeddedImages.inc(outcome.embeddedImages);
    SplitCounters.deadLetters.inc(outcome.deadLetters);
    SplitCounters.ocrPages.inc(outcome.ocrPages);
    SplitCounters.ocrSkippedPages.inc(outcome.ocrSkippedPages);
    SplitCounters.ocrPagesPlanned.inc(outcome.ocrPagesPlanned);
    SplitCounters.ocrPagesTaken.inc(outcome.ocrPagesTaken);
  }
}

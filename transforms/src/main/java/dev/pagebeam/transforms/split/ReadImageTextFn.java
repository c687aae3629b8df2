package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.FileFaults;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.ocr.OcrException;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Gives each embedded image the text it is embedded with ({@link ImageTextReader}); an image with
 * neither OCR text nor caption keeps no text ({@code images_without_text}), an image OCR fails on is
 * a dead letter for that image alone. Other elements pass through. Each instance owns one reader
 * and so one OCR engine, from setup to teardown.
 */
class ReadImageTextFn extends DoFn<PdfElement, PdfElement> {
  static final TupleTag<PdfElement> ELEMENTS = new TupleTag<PdfElement>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  private final SplitSettings settings;
  private transient ImageTextReader reader;

  ReadImageTextFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() throws IOException {
    reader = new ImageTextReader(settings);
  }

  @ProcessElement
  public void process(@Element PdfElement e, MultiOutputReceiver out) {
    ImageTextReader.Read read;
    try {
      read = reader.read(e);
    } catch (Throwable t) {
      // composing the image's text failed: the image goes on without text, and says why
      FileFaults.rethrowIfNotPerFile(t);
      read = new ImageTextReader.Read(e, false, t);
    }
    if (e.getType() == ElementType.EMBEDDED_IMAGE && reader.readsImages()) {
      SplitCounters.ocrImages.inc();
      if (!read.element.hasText()) {
        SplitCounters.imagesWithoutText.inc();
      }
    }
    if (read.failure != null) {
      boolean timeout = read.failure instanceof OcrException && ((OcrException) read.failure).isTimeout();
      out.get(DEAD_LETTERS).output(DeadLetter.forElement(e.getSource(), e.getDocumentId(), DeadLetter.STAGE_OCR,
          timeout ? ErrorKind.TIMEOUT : FileFaults.kind(read.failure, ErrorKind.OCR_FAILED),
          "OCR of the image failed: " + (read.failure instanceof OcrException ? read.failure.getMessage()
              : FileFaults.describe(read.failure)),
          e.getPage(), "page " + e.getPage() + " image " + e.getImageName() + " " + e.getId()));
      SplitCounters.deadLetters.inc();
    }
    out.get(ELEMENTS).output(read.element);
  }

  @Teardown
  public void teardown() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}

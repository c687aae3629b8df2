package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.model.ModelTokenizer;
import dev.pagebeam.transforms.ocr.OcrEngine;
import dev.pagebeam.transforms.ocr.OcrException;
import dev.pagebeam.transforms.ocr.OcrImages;
import dev.pagebeam.transforms.ocr.OcrResult;
import dev.pagebeam.transforms.ocr.OcrSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Gives each embedded image the text it is embedded with: its caption, what OCR reads in it, and
 * the lines around it, cut to the chunk size at a paragraph, sentence or word boundary. An image
 * with neither OCR text nor caption keeps no text ({@code images_without_text}). Other elements
 * pass through. Each instance owns one OCR engine, from setup to teardown.
 */
class ReadImageTextFn extends DoFn<PdfElement, PdfElement> {
  static final TupleTag<PdfElement> ELEMENTS = new TupleTag<PdfElement>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  /** Resolution Tesseract is told for an image at its own size (screen resolution). */
  static final int SCREEN_DPI = 96;

  private final SplitSettings settings;
  private transient OcrEngine ocr;
  private transient ModelTokenizer tokenizer;
  private transient TokenChunker chunker;

  ReadImageTextFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() throws IOException {
    tokenizer = ModelTokenizer.load(settings.tokenizerModel());
    chunker = new TokenChunker(tokenizer, settings.maxTokens(), 0);
    if (settings.ocr().enabled()) {
      ocr = OcrEngine.open(settings.ocr());
    }
  }

  @ProcessElement
  public void process(@Element PdfElement e, MultiOutputReceiver out) {
    if (e.getType() != ElementType.EMBEDDED_IMAGE || e.image() == null || e.getImageBytes() == null) {
      out.get(ELEMENTS).output(e);
      return;
    }
    ElementImage image = e.image();
    String ocrText = null;
    int confidence = -1;
    if (ocr != null) {
      try {
        OcrResult read = read(e.getImageBytes());
        SplitCounters.ocrImages.inc();
        boolean text = read.isText();
        ocrText = text ? read.text() : "";
        confidence = text ? read.meanConfidence() : -1;
      } catch (OcrException | IOException | RuntimeException failure) {
        boolean timeout = failure instanceof OcrException && ((OcrException) failure).isTimeout();
        out.get(DEAD_LETTERS).output(DeadLetter.forElement(e.getSource(), e.getDocumentId(), DeadLetter.STAGE_OCR,
            timeout ? ErrorKind.TIMEOUT : ErrorKind.OCR_FAILED, "OCR of the image failed: " + failure.getMessage(),
            e.getPage(), "page " + e.getPage() + " image " + e.getImageName() + " " + e.getId()));
        SplitCounters.deadLetters.inc();
        ocrText = "";
      }
      image = image.withOcr(ocrText, confidence);
    }
    boolean hasOcrText = ocrText != null && !ocrText.isEmpty();
    if (!hasOcrText && image.caption() == null) {
      if (ocr != null) {
        SplitCounters.imagesWithoutText.inc();
      }
      out.get(ELEMENTS).output(ocr == null ? e : e.withImageText(null, image));
      return;
    }
    List<String> parts = new ArrayList<>();
    for (String part : new String[] {image.caption(), ocrText, image.context()}) {
      if (part != null && !part.isBlank()) {
        parts.add(part.strip());
      }
    }
    String composed = String.join("\n\n", parts);
    TokenChunker.Chunk first = chunker.chunk(composed).get(0);
    ElementText text = new ElementText(composed.substring(first.charStart, first.charEnd), 0, first.charStart,
        first.charEnd, first.tokenCount, hasOcrText ? TextSource.OCR : TextSource.CAPTION, confidence);
    out.get(ELEMENTS).output(e.withImageText(text, image));
  }

  /** OCR of the image, enlarged first when it is small (screenshots are often 96 dpi). */
  private OcrResult read(byte[] bytes) throws IOException, OcrException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    if (image == null) {
      throw new IOException("no image decoder recognises these " + bytes.length + " bytes");
    }
    OcrSettings o = settings.ocr();
    int factor = Math.max(image.getWidth(), image.getHeight()) < o.upscaleBelow() ? OcrSettings.UPSCALE_FACTOR : 1;
    return ocr.read(factor == 1 ? image : OcrImages.enlarge(image, factor), SCREEN_DPI * factor);
  }

  @Teardown
  public void teardown() {
    if (ocr != null) {
      ocr.close();
      ocr = null;
    }
    if (tokenizer != null) {
      tokenizer.close();
      tokenizer = null;
    }
  }
}

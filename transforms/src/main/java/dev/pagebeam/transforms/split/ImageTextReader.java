package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.ElementImage;
import dev.pagebeam.transforms.elements.ElementText;
import dev.pagebeam.transforms.elements.TextSource;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.FileFaults;
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

/**
 * Gives an embedded image the text it is embedded with, with no Beam in sight (the DoFn and the
 * benchmark's bare loop call it): its caption, what OCR reads in it, and the lines around it,
 * composed and cut to the chunk size at a paragraph, sentence or word boundary.
 */
public final class ImageTextReader implements AutoCloseable {
  /** Resolution Tesseract is told for an image at its own size (screen resolution). */
  static final int SCREEN_DPI = 96;

  /** What reading one image gave: the element, and the OCR failure if there was one. */
  public static final class Read {
    public final PdfElement element;
    /** True when OCR ran and found text worth keeping. */
    public final boolean ocrText;
    /** Why OCR failed on this image, or null. */
    public final Throwable failure;

    Read(PdfElement element, boolean ocrText, Throwable failure) {
      this.element = element;
      this.ocrText = ocrText;
      this.failure = failure;
    }
  }

  private final SplitSettings settings;
  private final ModelTokenizer tokenizer;
  private final TokenChunker chunker;
  private final OcrEngine ocr;

  /** Loads the tokenizer and, when OCR is on, opens an engine; {@link #close} frees both. */
  public ImageTextReader(SplitSettings settings) throws IOException {
    this.settings = settings;
    this.tokenizer = ModelTokenizer.load(settings.tokenizerModel());
    try {
      this.chunker = new TokenChunker(tokenizer, settings.maxTokens(), 0);
      this.ocr = settings.ocr().enabled() ? OcrEngine.open(settings.ocr()) : null;
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** Whether this reader runs OCR (else only captions give images text). */
  public boolean readsImages() {
    return ocr != null;
  }

  /**
   * An embedded image with its text (when it has OCR text or a caption) and what OCR read in it;
   * other elements unchanged.
   */
  public Read read(PdfElement e) {
    if (e.getType() != ElementType.EMBEDDED_IMAGE || e.image() == null || e.getImageBytes() == null) {
      return new Read(e, false, null);
    }
    ElementImage image = e.image();
    String ocrText = null;
    int confidence = -1;
    Throwable failure = null;
    if (ocr != null) {
      try {
        OcrResult read = ocr(e.getImageBytes());
        ocrText = read.isText() ? read.text() : "";
        confidence = read.isText() ? read.meanConfidence() : -1;
      } catch (Throwable f) {
        // the image keeps its caption and context; OCR's loss is a dead letter
        FileFaults.rethrowIfNotPerFile(f);
        failure = f;
        ocrText = "";
      }
      image = image.withOcr(ocrText, confidence);
    }
    boolean hasOcrText = ocrText != null && !ocrText.isEmpty();
    if (!hasOcrText && image.caption() == null) {
      return new Read(ocr == null ? e : e.withImageText(null, image), false, failure);
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
    return new Read(e.withImageText(text, image), hasOcrText, failure);
  }

  /** OCR of the image, enlarged first when it is small (screenshots are often 96 dpi). */
  private OcrResult ocr(byte[] bytes) throws IOException, OcrException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    if (image == null) {
      throw new IOException("no image decoder recognises these " + bytes.length + " bytes");
    }
    OcrSettings o = settings.ocr();
    int factor = Math.max(image.getWidth(), image.getHeight()) < o.upscaleBelow() ? OcrSettings.UPSCALE_FACTOR : 1;
    return ocr.read(factor == 1 ? image : OcrImages.enlarge(image, factor), SCREEN_DPI * factor);
  }

  @Override
  public void close() {
    if (ocr != null) {
      ocr.close();
    }
    tokenizer.close();
  }
}

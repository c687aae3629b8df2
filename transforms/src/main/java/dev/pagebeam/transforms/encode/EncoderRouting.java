package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.model.ImagePreprocessing;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.EncodedImage;
import dev.pagebeam.transforms.elements.PdfElement;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import javax.imageio.ImageIO;

/**
 * What the encoder gets of each element, for both batching DoFns: text by its text, images by
 * their pixels when the model encodes images (and their text as a text record of its own), and an
 * image with nothing to embed counted instead of passed on.
 *
 * <p>With a text-only model an embedded image is embedded by its text, without its bytes; a page
 * thumbnail is not encoded, since its page's text records point at it. An image with nothing to
 * embed is counted: {@code images_without_text} (counted by the split: OCR found nothing and there
 * is no caption) or {@code images_without_encoder} (OCR was off, or a thumbnail of a page without
 * any text).
 */
final class EncoderRouting implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Receives the elements to encode. */
  interface Target {
    void text(PdfElement e);

    void image(PdfElement e);
  }

  private final ImagePreprocessing images;

  /** {@code images}: the model's image preprocessing, or null for a text-only model. */
  EncoderRouting(ImagePreprocessing images) {
    this.images = images;
  }

  void route(PdfElement e, Target target) {
    if (!e.getType().isImage()) {
      EncodeCounters.encoderInput.inc();
      target.text(e);
    } else if (images != null) {
      EncodeCounters.encoderInput.inc();
      target.image(reduced(e));
      if (e.hasText()) {
        EncodeCounters.encoderInput.inc();
        target.text(e.imageTextChunk());
      }
    } else if (e.hasText()) {
      // Only the text travels to the encoder.
      EncodeCounters.encoderInput.inc();
      target.text(e.withoutImageBytes());
    } else if (!coveredElsewhere(e)) {
      EncodeCounters.imagesWithoutEncoder.inc();
    }
  }

  /**
   * The image at the size the model sees it (a 1,024 px screenshot travels as 224 px for CLIP):
   * the encoder computes exactly the same input from it. One that cannot be decoded travels as it
   * is; the encoder makes it a dead letter.
   */
  private PdfElement reduced(PdfElement e) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(e.getImageBytes()));
      if (image == null) {
        return e;
      }
      BufferedImage small = images.reduce(image);
      return small == image ? e : e.withImage(EncodedImage.png(small));
    } catch (IOException | RuntimeException failure) {
      return e;
    }
  }

  /**
   * A thumbnail whose page has text (its own or OCR's) is found through that text; an embedded
   * image that OCR found nothing in is already counted as images_without_text.
   */
  private static boolean coveredElsewhere(PdfElement e) {
    if (e.getType() == ElementType.PAGE_IMAGE) {
      return e.image().pageHasText() || e.image().pageReadByOcr();
    }
    return e.image().ocrText() != null;
  }
}

package dev.pagebeam.transforms.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Preparing images for OCR. */
public final class OcrImages {
  private OcrImages() {}

  /** {@code image} enlarged {@code factor} times (bicubic), transparency on white. */
  public static BufferedImage enlarge(BufferedImage image, int factor) {
    BufferedImage out = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
    } finally {
      g.dispose();
    }
    return out;
  }
}

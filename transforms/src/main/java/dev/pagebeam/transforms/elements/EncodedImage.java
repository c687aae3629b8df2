package dev.pagebeam.transforms.elements;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import javax.imageio.ImageIO;

/** An image as stored bytes (PNG or JPEG) with its pixel size. */
public final class EncodedImage implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private final String format;
  private final int width;
  private final int height;

  public EncodedImage(byte[] bytes, String format, int width, int height) {
    this.bytes = bytes;
    this.format = format;
    this.width = width;
    this.height = height;
  }

  /** Encodes as PNG: lossless, and small for rendered pages, diagrams and screenshots. */
  public static EncodedImage png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 2 + 1024);
    if (!ImageIO.write(image, "png", out)) {
      throw new IOException("no PNG writer for image type " + image.getType());
    }
    return new EncodedImage(out.toByteArray(), "png", image.getWidth(), image.getHeight());
  }

  public byte[] bytes() {
    return bytes;
  }

  public String format() {
    return format;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }
}

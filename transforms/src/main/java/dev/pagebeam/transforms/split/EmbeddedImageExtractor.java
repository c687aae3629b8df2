package dev.pagebeam.transforms.split;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDInlineImage;

/**
 * Finds the raster images actually drawn on a page (including inside forms), skips small ones and
 * stencil masks, deduplicates within the document by content hash, and decodes each one at most
 * once, subsampled to the configured size. Images that declare more pixels than the limit are
 * never decoded.
 */
final class EmbeddedImageExtractor {

  /** Receives extracted images and skipped ones. */
  interface Sink {
    void image(int page, String streamHash, String name, EncodedImage image);

    void skipped(int page, String element, ErrorKind kind, String message);
  }

  private final SplitSettings settings;
  private final Deadline deadline;
  private final Set<COSStream> seenStreams = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<String> seenHashes = new HashSet<>();

  EmbeddedImageExtractor(SplitSettings settings, Deadline deadline) {
    this.settings = settings;
    this.deadline = deadline;
  }

  void extract(PDPage page, int pageNumber, Sink sink) throws IOException {
    new Engine(page, pageNumber, sink).processPage(page);
  }

  /** "image Im3 (60000x60000 px)" */
  static String describe(PDImage image, COSName name) {
    String label = image instanceof PDInlineImage ? "inline" : name == null ? "?" : name.getName();
    return "image " + label + " (" + image.getWidth() + "x" + image.getHeight() + " px)";
  }

  private final class Engine extends PDFGraphicsStreamEngine {
    private final int pageNumber;
    private final Sink sink;
    private COSName lastXObject;

    Engine(PDPage page, int pageNumber, Sink sink) {
      super(page);
      this.pageNumber = pageNumber;
      this.sink = sink;
    }

    @Override
    protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
      deadline.check();
      if ("Do".equals(operator.getName()) && !operands.isEmpty() && operands.get(0) instanceof COSName) {
        lastXObject = (COSName) operands.get(0);
      }
      super.processOperator(operator, operands);
    }

    @Override
    public void drawImage(PDImage image) throws IOException {
      if (image.isStencil()) {
        return;
      }
      int w = image.getWidth();
      int h = image.getHeight();
      if (w < settings.minImageSize() || h < settings.minImageSize()) {
        return;
      }
      COSStream stream = image instanceof PDImageXObject ? ((PDImageXObject) image).getCOSObject() : null;
      if (stream != null && !seenStreams.add(stream)) {
        return;
      }
      String element = "page " + pageNumber + " " + describe(image, lastXObject);
      if ((long) w * h > settings.maxImagePixels()) {
        sink.skipped(pageNumber, element, ErrorKind.TOO_LARGE,
            "image declares " + ((long) w * h) + " pixels, above --maxImagePixels=" + settings.maxImagePixels()
                + "; it was not decoded");
        return;
      }
      try {
        String hash = streamHash(image, stream);
        if (!seenHashes.add(hash)) {
          return;
        }
        String name = image instanceof PDInlineImage ? "inline" : lastXObject == null ? "?" : lastXObject.getName();
        sink.image(pageNumber, hash, name, EncodedImage.png(decodeBounded(image)));
      } catch (OutOfMemoryError e) {
        sink.skipped(pageNumber, element, ErrorKind.OUT_OF_MEMORY, "decoding ran out of memory: " + e.getMessage());
      } catch (IOException | RuntimeException e) {
        if (e instanceof Deadline.Exceeded) {
          throw e;
        }
        String message = String.valueOf(e.getMessage());
        ErrorKind kind = message.contains("JPEG2000") || message.contains("JBIG2") || message.contains("JAI")
            ? ErrorKind.UNSUPPORTED_IMAGE : ErrorKind.IMAGE_FAILED;
        sink.skipped(pageNumber, element, kind, e.getClass().getSimpleName() + ": " + message);
      }
    }

    private BufferedImage decodeBounded(PDImage image) throws IOException {
      int longest = Math.max(image.getWidth(), image.getHeight());
      int subsampling = Math.max(1, longest / settings.maxImageSide());
      BufferedImage decoded = subsampling > 1 ? image.getImage(null, subsampling) : image.getImage();
      return fit(decoded, settings.maxImageSide());
    }

    // Text is irrelevant here: skipping it avoids loading fonts.
    @Override
    public void showTextString(byte[] string) {}

    @Override
    public void showTextStrings(COSArray array) {}

    @Override
    public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {}

    @Override
    public void clip(int windingRule) {}

    @Override
    public void moveTo(float x, float y) {}

    @Override
    public void lineTo(float x, float y) {}

    @Override
    public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {}

    @Override
    public Point2D getCurrentPoint() {
      return new Point2D.Float();
    }

    @Override
    public void closePath() {}

    @Override
    public void endPath() {}

    @Override
    public void strokePath() {}

    @Override
    public void fillPath(int windingRule) {}

    @Override
    public void fillAndStrokePath(int windingRule) {}

    @Override
    public void shadingFill(COSName shadingName) {}
  }

  /** Hash of the encoded image data and the parameters that decide how it decodes. */
  private static String streamHash(PDImage image, COSStream stream) throws IOException {
    MessageDigest digest = ElementIds.newSha256();
    String params = image.getWidth() + "x" + image.getHeight() + "|" + image.getBitsPerComponent() + "|"
        + (image.getColorSpace() == null ? "" : image.getColorSpace().getName()) + "|";
    digest.update(params.getBytes(StandardCharsets.UTF_8));
    if (stream != null) {
      try (InputStream raw = stream.createRawInputStream()) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = raw.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
        }
      }
    } else {
      digest.update(((PDInlineImage) image).getData());
    }
    return ElementIds.hex(digest.digest(), 32);
  }

  /** Downscales (never upscales) so the long side is at most {@code maxSide}. */
  static BufferedImage fit(BufferedImage image, int maxSide) {
    int w = image.getWidth();
    int h = image.getHeight();
    int longest = Math.max(w, h);
    boolean alpha = image.getColorModel().hasAlpha();
    int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    if (longest <= maxSide && image.getType() == type) {
      return image;
    }
    double scale = longest <= maxSide ? 1.0 : (double) maxSide / longest;
    int nw = Math.max(1, (int) Math.round(w * scale));
    int nh = Math.max(1, (int) Math.round(h * scale));
    BufferedImage out = new BufferedImage(nw, nh, type);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, nw, nh, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}

package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.core.Hashes;
import dev.pagebeam.transforms.elements.EncodedImage;
import dev.pagebeam.transforms.core.FileFaults;
import dev.pagebeam.transforms.core.ErrorKind;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
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
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDInlineImage;
import org.apache.pdfbox.util.Matrix;

/**
 * Finds the raster images actually drawn on a page (including inside forms), skips small ones and
 * stencil masks, deduplicates within the document by content hash, and decodes each one at most
 * once, subsampled to the configured size. Images that declare more pixels than the limit are
 * never decoded. Each image comes with its caption and the lines around where it is drawn
 * ({@link ImageContext}).
 *
 * <p>An image that is the page itself is not an embedded image of its own (it would repeat the
 * page's text): on a page without text that OCR reads, one covering at least {@link #SCAN_AREA} of
 * the page (a scan); on any page whose text is read, one covering at least {@link #FULL_PAGE} (a
 * scan under a text layer).
 */
final class EmbeddedImageExtractor {

  /** The share of the page an image must cover to be taken for the page's scan. */
  static final double SCAN_AREA = 0.5;
  /** The share of the page an image must cover to be taken for the page itself, text layer or not. */
  static final double FULL_PAGE = 0.9;

  /** Receives extracted images and skipped ones. */
  interface Sink {
    void image(int page, String streamHash, String name, EncodedImage image, ImageContext context);

    void skipped(int page, String element, ErrorKind kind, String message);
  }

  /** An image of the current page, waiting for the page's end (scan or not, its context). */
  private static final class Drawn {
    final String hash;
    final String name;
    final EncodedImage image;
    final float left;
    final float top;
    final float right;
    final float bottom;

    Drawn(String hash, String name, EncodedImage image, float left, float top, float right, float bottom) {
      this.hash = hash;
      this.name = name;
      this.image = image;
      this.left = left;
      this.top = top;
      this.right = right;
      this.bottom = bottom;
    }
  }

  private final PDDocument document;
  private final SplitSettings settings;
  private final Deadline deadline;
  private final Set<COSStream> seenStreams = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<String> seenHashes = new HashSet<>();

  EmbeddedImageExtractor(PDDocument document, SplitSettings settings, Deadline deadline) {
    this.document = document;
    this.settings = settings;
    this.deadline = deadline;
  }

  void extract(PDPage page, int pageNumber, Sink sink) throws IOException {
    Engine engine = new Engine(page, pageNumber, sink);
    engine.processPage(page);
    if (engine.drawn.isEmpty()) {
      return;
    }
    PDRectangle crop = page.getCropBox();
    boolean ocrPage = settings.ocrReadsPage(engine.showsText);
    boolean pageTextRead = engine.showsText || ocrPage;
    // Positions are compared in unrotated page space only.
    List<PageLine> lines = engine.showsText && page.getRotation() % 360 == 0
        ? PageLines.of(document, page, deadline) : List.of();
    double pageArea = (double) crop.getWidth() * crop.getHeight();
    for (Drawn d : engine.drawn) {
      double area = (double) (d.right - d.left) * (d.bottom - d.top);
      boolean isPage = pageArea > 0 && (area >= FULL_PAGE * pageArea && pageTextRead
          || area >= SCAN_AREA * pageArea && !engine.showsText && ocrPage);
      if (isPage) {
        continue;
      }
      ImageContext context = lines.isEmpty() ? ImageContext.NONE
          : ImageContext.find(lines, d.left, d.top, d.right, d.bottom);
      sink.image(pageNumber, d.hash, d.name, d.image, context);
    }
  }

  /** "image Im3 (60000x60000 px)" */
  static String describe(PDImage image, COSName name) {
    String label = image instanceof PDInlineImage ? "inline" : name == null ? "?" : name.getName();
    return "image " + label + " (" + image.getWidth() + "x" + image.getHeight() + " px)";
  }

  private final class Engine extends PDFGraphicsStreamEngine {
    private final int pageNumber;
    private final Sink sink;
    private final PDRectangle crop;
    private final List<Drawn> drawn = new ArrayList<>();
    private boolean showsText;
    private COSName lastXObject;

    Engine(PDPage page, int pageNumber, Sink sink) {
      super(page);
      this.pageNumber = pageNumber;
      this.sink = sink;
      this.crop = page.getCropBox();
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
        EncodedImage png = EncodedImage.png(decodeBounded(image));
        // Where it is drawn: the unit square through the current transformation, in points from
        // the crop box's top-left corner (the coordinates of the page's text positions).
        Matrix ctm = getGraphicsState().getCurrentTransformationMatrix();
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (float[] corner : new float[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}}) {
          Point2D.Float p = ctm.transformPoint(corner[0], corner[1]);
          minX = Math.min(minX, p.x);
          maxX = Math.max(maxX, p.x);
          minY = Math.min(minY, p.y);
          maxY = Math.max(maxY, p.y);
        }
        drawn.add(new Drawn(hash, name, png, minX - crop.getLowerLeftX(), crop.getUpperRightY() - maxY,
            maxX - crop.getLowerLeftX(), crop.getUpperRightY() - minY));
      } catch (Deadline.Exceeded e) {
        throw e;
      } catch (Throwable e) {
        // one image that cannot be decoded costs that image, not the page's other images
        FileFaults.rethrowIfNotPerFile(e);
        String message = String.valueOf(e.getMessage());
        boolean noDecoder = e instanceof LinkageError || message.contains("JPEG2000") || message.contains("JBIG2")
            || message.contains("JAI");
        sink.skipped(pageNumber, element, noDecoder ? ErrorKind.UNSUPPORTED_IMAGE : FileFaults.kind(e, ErrorKind.IMAGE_FAILED),
            FileFaults.describe(e));
      }
    }

    private BufferedImage decodeBounded(PDImage image) throws IOException {
      int longest = Math.max(image.getWidth(), image.getHeight());
      int subsampling = Math.max(1, longest / settings.maxImageSide());
      // charged at full size: true of Flate and most filters, which decode the whole stream; PDFBox's
      // JPEG and JPEG 2000 decoders subsample as they read, which the estimate does not yet know
      try (DecodeBudget.Lease lease = DecodeBudget.JVM.acquire(DecodeBudget.bytesToDecode(image), deadline)) {
        BufferedImage decoded = subsampling > 1 ? image.getImage(null, subsampling) : image.getImage();
        return fit(decoded, settings.maxImageSide());
      }
    }

    // Only whether the page shows text matters here: not drawing glyphs avoids loading fonts.
    @Override
    public void showTextString(byte[] string) {
      showsText |= string.length > 0;
    }

    @Override
    public void showTextStrings(COSArray array) {
      showsText |= array.size() > 0;
    }

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
    MessageDigest digest = Hashes.newSha256();
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
    return Hashes.hex(digest.digest(), 32);
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

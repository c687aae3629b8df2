package dev.pagebeam.transforms.split;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;

/**
 * Renders pages: thumbnails straight to a fixed long side (never large-then-downscaled), and gray
 * pages at a resolution for OCR. Images that declare more pixels than the limit are left out of
 * the rendering instead of being decoded, and reported; the others are decoded within the JVM's
 * {@link DecodeBudget}.
 */
final class PageRenderer {
  private final BoundedRenderer renderer;
  private final int longSide;

  /** {@code longSide} is the thumbnails' long side (unused for OCR renderings). */
  PageRenderer(PDDocument document, int longSide, long maxImagePixels, Deadline deadline) {
    this.renderer = new BoundedRenderer(document, maxImagePixels, deadline);
    this.renderer.setSubsamplingAllowed(true);
    this.longSide = longSide;
  }

  /** The scale that makes the page's longer side exactly {@code longSide} pixels. */
  static float scaleFor(PDRectangle cropBox, int longSide) {
    float longest = Math.max(cropBox.getWidth(), cropBox.getHeight());
    if (!(longest > 0)) {
      throw new IllegalArgumentException("page has an empty crop box (" + cropBox + ")");
    }
    // PDFBox floors width * scale; +0.5 keeps float rounding from losing the last pixel.
    return (longSide + 0.5f) / longest;
  }

  /** Renders page {@code pageIndex} (0-based); images skipped for size are listed in the result. */
  Rendered render(PDPage page, int pageIndex) throws IOException {
    renderer.skipped.clear();
    float scale = scaleFor(page.getCropBox(), longSide);
    BufferedImage image = renderer.renderImage(pageIndex, scale, ImageType.RGB);
    return new Rendered(image, new ArrayList<>(renderer.skipped), 0);
  }

  /**
   * Renders page {@code pageIndex} in 8-bit gray at {@code dpi}, or lower when that would exceed
   * {@code maxPixels} (a poster-sized page); the result says which resolution was used.
   */
  Rendered renderGray(PDPage page, int pageIndex, int dpi, long maxPixels) throws IOException {
    renderer.skipped.clear();
    PDRectangle box = page.getCropBox();
    double points = (double) box.getWidth() * box.getHeight();
    if (!(points > 0)) {
      throw new IllegalArgumentException("page has an empty crop box (" + box + ")");
    }
    double pixelsPerPoint = dpi / 72.0;
    double pixels = points * pixelsPerPoint * pixelsPerPoint;
    int used = pixels <= maxPixels ? dpi : (int) Math.floor(72.0 * Math.sqrt(maxPixels / points));
    BufferedImage image = renderer.renderImage(pageIndex, used / 72f, ImageType.GRAY);
    return new Rendered(image, new ArrayList<>(renderer.skipped), used);
  }

  static final class Rendered {
    final BufferedImage image;
    final List<String> skippedImages;
    /** The resolution of a gray rendering for OCR; 0 for thumbnails. */
    final int dpi;

    Rendered(BufferedImage image, List<String> skippedImages, int dpi) {
      this.image = image;
      this.skippedImages = skippedImages;
      this.dpi = dpi;
    }
  }

  private static final class BoundedRenderer extends PDFRenderer {
    private final long maxImagePixels;
    private final Deadline deadline;
    private final List<String> skipped = new ArrayList<>();

    BoundedRenderer(PDDocument document, long maxImagePixels, Deadline deadline) {
      super(document);
      this.maxImagePixels = maxImagePixels;
      this.deadline = deadline;
    }

    @Override
    protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
      return new BoundedPageDrawer(parameters, this);
    }
  }

  private static final class BoundedPageDrawer extends PageDrawer {
    private final BoundedRenderer owner;
    private COSName lastXObject;

    BoundedPageDrawer(PageDrawerParameters parameters, BoundedRenderer owner) throws IOException {
      super(parameters);
      this.owner = owner;
    }

    @Override
    protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
      owner.deadline.check();
      if ("Do".equals(operator.getName()) && !operands.isEmpty() && operands.get(0) instanceof COSName) {
        lastXObject = (COSName) operands.get(0);
      }
      super.processOperator(operator, operands);
    }

    @Override
    public void drawImage(PDImage image) throws IOException {
      long pixels = (long) image.getWidth() * image.getHeight();
      if (pixels > owner.maxImagePixels) {
        owner.skipped.add(EmbeddedImageExtractor.describe(image, lastXObject));
        return;
      }
      try (DecodeBudget.Lease lease = DecodeBudget.JVM.acquire(DecodeBudget.bytesToDecode(image), owner.deadline)) {
        super.drawImage(image);
      }
    }
  }
}

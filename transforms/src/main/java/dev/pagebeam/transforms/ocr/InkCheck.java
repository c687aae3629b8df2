package dev.pagebeam.transforms.ocr;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * A cheap look at a rendered page before OCR reads it: does the page hold enough marks of the
 * size of letters for Tesseract to find text? A page without a text layer that holds only rules,
 * a frame or a few shapes costs 1-2 s of Tesseract at 300 dpi and yields nothing; this look costs
 * one pass over the pixels (about 1% of that) and lets such pages be skipped.
 *
 * <p>It errs towards reading: ink is anything that differs from the page's background (the most
 * common gray) by a modest contrast, so white text on a dark page counts as well as faint scans;
 * a glyph is a connected mark between 3 and 72 points high and at most 25 times as wide as high
 * (letters that touch in a scan join into words, which still count). Rules, frames, specks of
 * scanner noise and large shapes are not glyphs. A page with fewer than {@link #MIN_GLYPHS} glyphs
 * can hold a page number or one short word at most: it is skipped and counted, not lost silently.
 */
public final class InkCheck {
  /** Fewer glyph-sized marks than this and the page is not worth reading. */
  public static final int MIN_GLYPHS = 6;
  /** Gray levels between the background and a pixel that make the pixel ink. */
  static final int INK_CONTRAST = 48;
  /** The resolution the marks are measured at: the rendering is reduced to about this. */
  static final int WORK_DPI = 100;
  private static final double MIN_GLYPH_POINTS = 3;
  private static final double MAX_GLYPH_POINTS = 72;
  private static final int MAX_ASPECT = 25;

  private InkCheck() {}

  /** True when the page rendered at {@code dpi} may hold text that OCR can read. */
  public static boolean mayHoldText(BufferedImage page, int dpi) {
    return glyphs(page, dpi, MIN_GLYPHS) >= MIN_GLYPHS;
  }

  /**
   * The glyph-sized marks on the page, counted up to {@code enough} (the count stops there, so a
   * page of text is decided in its first lines).
   */
  static int glyphs(BufferedImage page, int dpi, int enough) {
    Raster raster = gray(page).getRaster();
    int width = raster.getWidth();
    int height = raster.getHeight();
    int factor = Math.max(1, Math.round(dpi / (float) WORK_DPI));
    int cols = (width + factor - 1) / factor;
    int rows = (height + factor - 1) / factor;
    // the mean gray of each factor x factor cell: averaging keeps scanner noise and specks from
    // turning into ink, while a stroke of a letter still darkens its cells well past the contrast
    int[] sums = new int[cols * rows];
    int[] line = new int[width];
    for (int y = 0; y < height; y++) {
      raster.getSamples(0, y, width, 1, 0, line);
      int cellRow = (y / factor) * cols;
      for (int x = 0; x < width; x++) {
        sums[cellRow + x / factor] += line[x];
      }
    }
    int[] means = new int[cols * rows];
    int[] histogram = new int[256];
    for (int i = 0; i < means.length; i++) {
      int cellWidth = Math.min(factor, width - (i % cols) * factor);
      int cellHeight = Math.min(factor, height - (i / cols) * factor);
      means[i] = sums[i] / (cellWidth * cellHeight);
      histogram[means[i]]++;
    }
    int background = 0;
    for (int v = 1; v < 256; v++) {
      if (histogram[v] > histogram[background]) {
        background = v;
      }
    }
    boolean[] ink = new boolean[means.length];
    for (int i = 0; i < ink.length; i++) {
      ink[i] = Math.abs(means[i] - background) >= INK_CONTRAST;
    }
    double cellsPerPoint = dpi / 72.0 / factor;
    int minHeight = Math.max(2, (int) Math.round(MIN_GLYPH_POINTS * cellsPerPoint));
    int maxHeight = (int) Math.round(MAX_GLYPH_POINTS * cellsPerPoint);
    return countGlyphs(ink, cols, rows, minHeight, maxHeight, enough);
  }

  /** Connected marks (8-neighbours) whose box is glyph-sized, up to {@code enough}; clears {@code ink}. */
  private static int countGlyphs(boolean[] ink, int cols, int rows, int minHeight, int maxHeight, int enough) {
    int[] stack = new int[64];
    int glyphs = 0;
    for (int start = 0; start < ink.length && glyphs < enough; start++) {
      if (!ink[start]) {
        continue;
      }
      ink[start] = false;
      int top = 0;
      stack[top++] = start;
      int minX = start % cols;
      int maxX = minX;
      int minY = start / cols;
      int maxY = minY;
      while (top > 0) {
        int p = stack[--top];
        int px = p % cols;
        int py = p / cols;
        minX = Math.min(minX, px);
        maxX = Math.max(maxX, px);
        minY = Math.min(minY, py);
        maxY = Math.max(maxY, py);
        for (int dy = -1; dy <= 1; dy++) {
          int ny = py + dy;
          if (ny < 0 || ny >= rows) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int nx = px + dx;
            if (nx < 0 || nx >= cols) {
              continue;
            }
            int q = ny * cols + nx;
            if (ink[q]) {
              ink[q] = false;
              if (top == stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
              }
              stack[top++] = q;
            }
          }
        }
      }
      int h = maxY - minY + 1;
      int w = maxX - minX + 1;
      if (h >= minHeight && h <= maxHeight && w <= MAX_ASPECT * h) {
        glyphs++;
      }
    }
    return glyphs;
  }

  private static BufferedImage gray(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return image;
    }
    BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = gray.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return gray;
  }
}

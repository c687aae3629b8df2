package dev.pagebeam.transforms.split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text near an image on its page: a caption line ("Figure 3: ...") and the lines directly
 * above and below where it is drawn. Coordinates are points from the top-left of the crop box.
 *
 * <p>The limits: a caption starts with a caption word (Figure, Fig., Table, Screenshot, Chart,
 * Diagram, Listing, Exhibit, Plate, Illustration, Photo, Image, Abbildung, Abb.) on a line that
 * shares width with the image and begins at most {@link #CAPTION_GAP} points below it (or ends at
 * most that far above it); it goes on over the following lines of the same paragraph, up to
 * {@link #MAX_CHARS} characters. The context is at most {@link #CONTEXT_LINES} lines on each side
 * that share width with the image (beyond its caption), the nearest at most {@link #CONTEXT_GAP}
 * points away, each next
 * one at most {@link #LINE_GAP} line heights further, up to {@link #MAX_CHARS} characters a side.
 */
final class ImageContext {
  static final float CAPTION_GAP = 36;
  static final float CONTEXT_GAP = 48;
  static final int CONTEXT_LINES = 2;
  static final int MAX_CHARS = 300;
  /**
   * Lines of one paragraph are at most this many line heights apart (a line's height is its glyphs'
   * height, about half the font size: 1.5 heights apart in 11 pt text set at 1.35; paragraph breaks are 3).
   */
  static final float LINE_GAP = 2f;
  /** Lines may overlap the image's box a little (rounding, tight layouts). */
  private static final float SLACK = 4;

  private static final Pattern CAPTION = Pattern.compile(
      "(?i)^(figure|fig\\.|table|tab\\.|screenshot|screen shot|chart|diagram|listing|exhibit|plate|illustration"
          + "|photo|image|abbildung|abb\\.)(\\s|:|\\d|$).*");

  final String caption;
  final String context;

  private ImageContext(String caption, String context) {
    this.caption = caption;
    this.context = context;
  }

  static final ImageContext NONE = new ImageContext(null, null);

  /** The caption and context of an image drawn in [left, right] x [top, bottom]. */
  static ImageContext find(List<PageLine> lines, float left, float top, float right, float bottom) {
    List<PageLine> below = new ArrayList<>();
    List<PageLine> above = new ArrayList<>();
    for (PageLine l : lines) {
      if (!l.overlapsHorizontally(left, right)) {
        continue;
      }
      if (l.top >= bottom - SLACK) {
        below.add(l);
      } else if (l.bottom <= top + SLACK) {
        above.add(l);
      }
    }
    below.sort(Comparator.comparingDouble(l -> l.top));
    above.sort(Comparator.comparingDouble(l -> -l.bottom));

    // A caption belongs to the figure: the context lies beyond it.
    float aboveEdge = top;
    float belowEdge = bottom;
    List<PageLine> captionLines = caption(below, bottom, true);
    if (!captionLines.isEmpty()) {
      belowEdge = captionLines.get(captionLines.size() - 1).bottom;
    } else {
      captionLines = caption(above, top, false);
      if (!captionLines.isEmpty()) {
        aboveEdge = captionLines.get(0).top;
      }
    }
    below.removeAll(captionLines);
    above.removeAll(captionLines);
    float belowLimit = belowEdge - SLACK;
    float aboveLimit = aboveEdge + SLACK;
    below.removeIf(l -> l.top < belowLimit);
    above.removeIf(l -> l.bottom > aboveLimit);
    List<PageLine> contextAbove = near(above, aboveEdge, false);
    List<PageLine> contextBelow = near(below, belowEdge, true);
    java.util.Collections.reverse(contextAbove);

    String caption = join(captionLines);
    String contextText = joinNonEmpty(join(contextAbove), join(contextBelow));
    return caption == null && contextText == null ? NONE : new ImageContext(caption, contextText);
  }

  /** The caption: a caption line near the image's edge and its following lines, top to bottom. */
  private static List<PageLine> caption(List<PageLine> nearestFirst, float edge, boolean belowImage) {
    List<PageLine> caption = new ArrayList<>();
    for (int i = 0; i < nearestFirst.size(); i++) {
      PageLine l = nearestFirst.get(i);
      float gap = belowImage ? l.top - edge : edge - l.bottom;
      if (gap > CAPTION_GAP) {
        break;
      }
      if (CAPTION.matcher(l.text).matches()) {
        caption.add(l);
        // continuation lines of a caption below the image, or between a caption above and the image
        int chars = l.text.length();
        int step = belowImage ? 1 : -1;
        PageLine previous = l;
        for (int j = i + step; j >= 0 && j < nearestFirst.size(); j += step) {
          PageLine next = nearestFirst.get(j);
          // the next line lies below the previous one either way: further from an image above it,
          // or closer to an image below it
          float lineGap = next.top - previous.bottom;
          if (lineGap > LINE_GAP * Math.max(previous.height(), 2) || chars + next.text.length() > MAX_CHARS
              || CAPTION.matcher(next.text).matches()) {
            break;
          }
          caption.add(next);
          chars += next.text.length();
          previous = next;
        }
        caption.sort(Comparator.comparingDouble(c -> c.top));
        return caption;
      }
    }
    return caption;
  }

  /** Up to CONTEXT_LINES lines directly beside the image, nearest first. */
  private static List<PageLine> near(List<PageLine> nearestFirst, float edge, boolean belowImage) {
    List<PageLine> near = new ArrayList<>();
    int chars = 0;
    PageLine previous = null;
    for (PageLine l : nearestFirst) {
      float gap = previous == null ? (belowImage ? l.top - edge : edge - l.bottom)
          : (belowImage ? l.top - previous.bottom : previous.top - l.bottom);
      float limit = previous == null ? CONTEXT_GAP : LINE_GAP * Math.max(previous.height(), 2);
      if (gap > limit || near.size() >= CONTEXT_LINES || chars + l.text.length() > MAX_CHARS) {
        break;
      }
      near.add(l);
      chars += l.text.length();
      previous = l;
    }
    return near;
  }

  private static String join(List<PageLine> lines) {
    if (lines.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (PageLine l : lines) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(l.text);
    }
    return b.toString();
  }

  private static String joinNonEmpty(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + "\n" + b;
  }
}

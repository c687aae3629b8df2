package dev.pagebeam.transforms.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Captions and surrounding lines of an image, from line positions (points from the top-left). */
class ImageContextTest {
  /** An image at x 100-400, y 300-500. */
  private static final float LEFT = 100;
  private static final float TOP = 300;
  private static final float RIGHT = 400;
  private static final float BOTTOM = 500;

  /** A line of 11 pt text (6 pt glyph height) whose top is at {@code top}. */
  private static PageLine line(String text, float top) {
    return new PageLine(text, 72, top, 520, top + 6);
  }

  private static ImageContext find(PageLine... lines) {
    return ImageContext.find(List.of(lines), LEFT, TOP, RIGHT, BOTTOM);
  }

  @Test
  void aCaptionBelowTheImageWithItsContinuationLine() {
    ImageContext c = find(
        line("The dialog below shows the policy.", 280),
        line("Figure 3: The replication policy dialog with the", 512),
        line("bandwidth caps for office hours and night.", 521),
        line("A new paragraph after the caption.", 545));
    assertThat(c.caption).isEqualTo(
        "Figure 3: The replication policy dialog with the bandwidth caps for office hours and night.");
    assertThat(c.context).isEqualTo("The dialog below shows the policy.\nA new paragraph after the caption.");
  }

  @Test
  void aCaptionAboveTheImage() {
    ImageContext c = find(
        line("Some text far above.", 200),
        line("Table 2 - Measured drift per gauge", 285));
    assertThat(c.caption).isEqualTo("Table 2 - Measured drift per gauge");
    assertThat(c.context).isNull();
  }

  @Test
  void contextIsAtMostTwoLinesOfTheParagraphNextToTheImage() {
    ImageContext c = find(
        line("first line of the paragraph above", 250),
        line("second line of the paragraph above", 259),
        line("third line of the paragraph above", 268),
        line("last line of the paragraph above", 277),
        line("first line below", 515),
        line("second line below", 524),
        line("third line below", 533));
    assertThat(c.caption).isNull();
    assertThat(c.context).isEqualTo("third line of the paragraph above last line of the paragraph above\n"
        + "first line below second line below");
  }

  @Test
  void linesOfAnotherParagraphOrTooFarAwayAreNotContext() {
    ImageContext c = find(
        line("a paragraph ending well above", 200),
        line("a line 60 pt below the image", 560));
    assertThat(c).isSameAs(ImageContext.NONE);
    // a paragraph break (18 pt between lines, three line heights, as in the sample corpus) ends it
    c = find(line("paragraph before", 264), line("paragraph next to the image", 288));
    assertThat(c.context).isEqualTo("paragraph next to the image");
  }

  @Test
  void linesOfAnotherColumnAreIgnored() {
    PageLine otherColumn = new PageLine("Figure 9: the other column's figure", 420, 505, 560, 511);
    ImageContext c = find(otherColumn);
    assertThat(c).isSameAs(ImageContext.NONE);
  }

  @Test
  void aCaptionWordInsideASentenceIsNotACaption() {
    ImageContext c = find(line("The figure below shows the dialog.", 290));
    assertThat(c.caption).isNull();
    assertThat(c.context).isEqualTo("The figure below shows the dialog.");
  }

  @Test
  void captionAndContextStayWithinTheirLimits() {
    List<PageLine> lines = new ArrayList<>();
    lines.add(line("Figure 1: " + "word ".repeat(40), 510));
    for (int i = 0; i < 10; i++) {
      lines.add(line("continuation " + "word ".repeat(20), 519 + 9 * i));
    }
    ImageContext c = ImageContext.find(lines, LEFT, TOP, RIGHT, BOTTOM);
    assertThat(c.caption.length()).isLessThanOrEqualTo(ImageContext.MAX_CHARS);
    assertThat(c.caption).startsWith("Figure 1:");
  }
}

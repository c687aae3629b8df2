package dev.pagebeam.transforms.split;

/**
 * A line of a page's text and where it lies, in points from the top-left corner of the crop box
 * (the coordinates of PDFBox's {@code TextPosition.getXDirAdj/getYDirAdj}).
 */
final class PageLine {
  final String text;
  final float left;
  final float top;
  final float right;
  final float bottom;

  PageLine(String text, float left, float top, float right, float bottom) {
    this.text = text;
    this.left = left;
    this.top = top;
    this.right = right;
    this.bottom = bottom;
  }

  float height() {
    return bottom - top;
  }

  /** Whether this line and [left, right] share some width. */
  boolean overlapsHorizontally(float otherLeft, float otherRight) {
    return right > otherLeft + 1 && left < otherRight - 1;
  }

  @Override
  public String toString() {
    return String.format("%.0f,%.0f-%.0f,%.0f %s", left, top, right, bottom, text);
  }
}

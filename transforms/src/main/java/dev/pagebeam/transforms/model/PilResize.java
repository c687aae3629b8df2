package dev.pagebeam.transforms.model;

/**
 * Image resizing that reproduces Pillow's {@code Image.resize} on 8-bit RGB: separable
 * convolution (horizontal pass, then vertical) with the filter widened by the scale when
 * downsampling, fixed-point coefficients and an 8-bit intermediate. Hugging Face image processors
 * resize through Pillow, so matching it is what makes embeddings match the reference.
 */
public final class PilResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PilResize() {}

  /** Pillow's resampling filters, by their Pillow numbers. */
  public enum Filter {
    NEAREST(0, 0),
    LANCZOS(1, 3),
    BILINEAR(2, 1),
    BICUBIC(3, 2),
    BOX(4, 0.5),
    HAMMING(5, 1);

    final int pil;
    final double support;

    Filter(int pil, double support) {
      this.pil = pil;
      this.support = support;
    }

    public static Filter fromPil(int value) {
      for (Filter f : values()) {
        if (f.pil == value) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown PIL resample filter " + value);
    }

    double weight(double x) {
      switch (this) {
        case BOX:
          return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
        case BILINEAR:
          x = Math.abs(x);
          return x < 1.0 ? 1.0 - x : 0.0;
        case HAMMING:
          x = Math.abs(x);
          if (x == 0.0) {
            return 1.0;
          }
          if (x >= 1.0) {
            return 0.0;
          }
          x *= Math.PI;
          return Math.sin(x) / x * (0.54 + 0.46 * Math.cos(x));
        case BICUBIC: {
          double a = -0.5;
          x = Math.abs(x);
          if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
          }
          if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
          }
          return 0.0;
        }
        case LANCZOS:
          return x > -3.0 && x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
        default:
          throw new IllegalStateException("no kernel for " + this);
      }
    }

    private static double sinc(double x) {
      if (x == 0.0) {
        return 1.0;
      }
      x *= Math.PI;
      return Math.sin(x) / x;
    }
  }

  /** Resizes packed 0xRRGGBB pixels from {@code w x h} to {@code nw x nh}. */
  public static int[] resize(int[] rgb, int w, int h, int nw, int nh, Filter filter) {
    if (nw == w && nh == h) {
      return rgb;
    }
    if (filter == Filter.NEAREST) {
      return nearest(rgb, w, h, nw, nh);
    }
    int[] horizontal = nw == w ? rgb : pass(rgb, w, h, nw, filter, true);
    return nh == h ? horizontal : pass(horizontal, nw, h, nh, filter, false);
  }

  private static int[] nearest(int[] rgb, int w, int h, int nw, int nh) {
    int[] out = new int[nw * nh];
    double sx = (double) w / nw;
    double sy = (double) h / nh;
    for (int y = 0; y < nh; y++) {
      int yy = Math.min(h - 1, (int) ((y + 0.5) * sy));
      for (int x = 0; x < nw; x++) {
        out[y * nw + x] = rgb[yy * w + Math.min(w - 1, (int) ((x + 0.5) * sx))];
      }
    }
    return out;
  }

  /** One separable pass along x ({@code horizontal}) or y, to {@code outSize}. */
  private static int[] pass(int[] in, int w, int h, int outSize, Filter filter, boolean horizontal) {
    int inSize = horizontal ? w : h;
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filter.support * filterScale;
    int ksize = (int) Math.ceil(support) * 2 + 1;
    int[] bounds = new int[outSize * 2];
    int[] coefficients = new int[outSize * ksize];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ss = 1.0 / filterScale;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
      double[] k = new double[xmax];
      double ww = 0.0;
      for (int x = 0; x < xmax; x++) {
        double weight = filter.weight((x + xmin - center + 0.5) * ss);
        k[x] = weight;
        ww += weight;
      }
      for (int x = 0; x < xmax; x++) {
        double v = ww != 0.0 ? k[x] / ww : k[x];
        coefficients[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
            : (int) (0.5 + v * (1 << PRECISION_BITS));
      }
      bounds[xx * 2] = xmin;
      bounds[xx * 2 + 1] = xmax;
    }
    int ow = horizontal ? outSize : w;
    int oh = horizontal ? h : outSize;
    int[] out = new int[ow * oh];
    int lines = horizontal ? h : w;
    for (int line = 0; line < lines; line++) {
      for (int xx = 0; xx < outSize; xx++) {
        int xmin = bounds[xx * 2];
        int xmax = bounds[xx * 2 + 1];
        int r = 1 << (PRECISION_BITS - 1);
        int g = r;
        int b = r;
        for (int x = 0; x < xmax; x++) {
          int p = horizontal ? in[line * w + xmin + x] : in[(xmin + x) * w + line];
          int c = coefficients[xx * ksize + x];
          r += ((p >> 16) & 0xff) * c;
          g += ((p >> 8) & 0xff) * c;
          b += (p & 0xff) * c;
        }
        int pixel = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
        if (horizontal) {
          out[line * ow + xx] = pixel;
        } else {
          out[xx * ow + line] = pixel;
        }
      }
    }
    return out;
  }

  private static int clip8(int v) {
    int s = v >> PRECISION_BITS;
    return s < 0 ? 0 : Math.min(s, 255);
  }
}

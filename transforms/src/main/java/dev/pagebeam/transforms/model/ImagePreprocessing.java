package dev.pagebeam.transforms.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Hugging Face image-processor settings (preprocessor_config.json) and the preprocessing itself,
 * implemented to match CLIPImageProcessor: convert to RGB (alpha composited on white), resize the
 * shortest edge with PIL's resampling, center crop, rescale, normalise; output CHW floats.
 */
public final class ImagePreprocessing implements Serializable {
  private static final long serialVersionUID = 1L;

  final boolean doConvertRgb;
  final boolean doResize;
  final int shortestEdge;
  final PilResize.Filter resample;
  final boolean doCenterCrop;
  final int cropHeight;
  final int cropWidth;
  final boolean doRescale;
  final double rescaleFactor;
  final boolean doNormalize;
  final float[] mean;
  final float[] std;

  ImagePreprocessing(boolean doConvertRgb, boolean doResize, int shortestEdge, PilResize.Filter resample,
      boolean doCenterCrop, int cropHeight, int cropWidth, boolean doRescale, double rescaleFactor,
      boolean doNormalize, float[] mean, float[] std) {
    this.doConvertRgb = doConvertRgb;
    this.doResize = doResize;
    this.shortestEdge = shortestEdge;
    this.resample = resample;
    this.doCenterCrop = doCenterCrop;
    this.cropHeight = cropHeight;
    this.cropWidth = cropWidth;
    this.doRescale = doRescale;
    this.rescaleFactor = rescaleFactor;
    this.doNormalize = doNormalize;
    this.mean = mean;
    this.std = std;
    if (doResize && shortestEdge < 1 || doCenterCrop && (cropHeight < 1 || cropWidth < 1)) {
      throw new IllegalArgumentException("image preprocessing needs a positive size and crop size");
    }
    if (!doCenterCrop) {
      throw new IllegalArgumentException(
          "image preprocessing without do_center_crop gives inputs of varying size; pagebeam needs a fixed crop");
    }
  }

  /** CLIP's own settings (openai/clip-vit-base-patch32), used when a manifest names none. */
  public static ImagePreprocessing clipDefaults() {
    return new ImagePreprocessing(true, true, 224, PilResize.Filter.BICUBIC, true, 224, 224, true, 1 / 255.0, true,
        new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f});
  }

  /** Reads a Hugging Face preprocessor_config.json. */
  public static ImagePreprocessing fromHuggingFace(JsonNode c) {
    ImagePreprocessing d = clipDefaults();
    int shortest = d.shortestEdge;
    JsonNode size = c.get("size");
    if (size != null) {
      if (size.isInt()) {
        shortest = size.asInt();
      } else if (size.has("shortest_edge")) {
        shortest = size.get("shortest_edge").asInt();
      } else if (size.has("height") && size.has("width") && size.get("height").asInt() == size.get("width").asInt()) {
        shortest = size.get("height").asInt();
      } else {
        throw new IllegalArgumentException("preprocessor_config.json: unsupported size " + size
            + " (pagebeam supports shortest_edge or a square height/width)");
      }
    }
    int cropH = shortest;
    int cropW = shortest;
    JsonNode crop = c.get("crop_size");
    if (crop != null) {
      if (crop.isInt()) {
        cropH = crop.asInt();
        cropW = crop.asInt();
      } else {
        cropH = crop.path("height").asInt(shortest);
        cropW = crop.path("width").asInt(shortest);
      }
    }
    boolean doCrop = c.path("do_center_crop").asBoolean(crop != null || d.doCenterCrop);
    if (!doCrop && size != null && size.has("height")) {
      // a square resize is as good as a crop for a fixed input size
      doCrop = true;
    }
    return new ImagePreprocessing(
        c.path("do_convert_rgb").asBoolean(true),
        c.path("do_resize").asBoolean(true),
        shortest,
        PilResize.Filter.fromPil(c.path("resample").asInt(3)),
        doCrop,
        cropH,
        cropW,
        c.path("do_rescale").asBoolean(true),
        c.path("rescale_factor").asDouble(1 / 255.0),
        c.path("do_normalize").asBoolean(true),
        floats(c.get("image_mean"), d.mean),
        floats(c.get("image_std"), d.std));
  }

  private static float[] floats(JsonNode n, float[] fallback) {
    if (n == null) {
      return fallback;
    }
    if (n.isNumber()) {
      float v = (float) n.asDouble();
      return new float[] {v, v, v};
    }
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      out[i] = (float) n.get(i).asDouble();
    }
    return out;
  }

  public int height() {
    return cropHeight;
  }

  public int width() {
    return cropWidth;
  }

  /** Floats per image: 3 x height x width. */
  public int size() {
    return 3 * cropHeight * cropWidth;
  }

  /**
   * The image as small as the model will see it: its RGB pixels (transparency on white) resized the
   * way {@link #apply} resizes them, when that makes it smaller; otherwise the image itself. Applying
   * {@link #apply} to the result gives exactly the input of the original image, so images can travel
   * to the encoder at this size instead of their own.
   */
  public BufferedImage reduce(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] size = resizedSize(w, h);
    if (size == null || (long) size[0] * size[1] >= (long) w * h) {
      return image;
    }
    int[] rgb = PilResize.resize(toRgb(image), w, h, size[0], size[1], resample);
    BufferedImage out = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, size[0], size[1], rgb, 0, size[0]);
    return out;
  }

  /** Width and height after the resize step, or null when there is none. */
  private int[] resizedSize(int w, int h) {
    if (!doResize) {
      return null;
    }
    int shortSide = Math.min(w, h);
    int longSide = Math.max(w, h);
    // transformers: (size, int(size * long / short)) for the short and long side
    int newShort = shortestEdge;
    int newLong = (int) ((double) shortestEdge * longSide / shortSide);
    return w <= h ? new int[] {newShort, newLong} : new int[] {newLong, newShort};
  }

  /** The model input for one image, channels first (RGB), as CLIPImageProcessor computes it. */
  public float[] apply(BufferedImage image) {
    int[] rgb = toRgb(image);
    int w = image.getWidth();
    int h = image.getHeight();
    int[] size = resizedSize(w, h);
    if (size != null) {
      rgb = PilResize.resize(rgb, w, h, size[0], size[1], resample);
      w = size[0];
      h = size[1];
    }
    // center crop: transformers pads with zeros when the image is smaller than the crop
    int top = (h - cropHeight) / 2;
    int left = (w - cropWidth) / 2;
    if (h < cropHeight) {
      top = -((cropHeight - h + 1) / 2);
    }
    if (w < cropWidth) {
      left = -((cropWidth - w + 1) / 2);
    }
    float[] out = new float[size()];
    int plane = cropHeight * cropWidth;
    for (int y = 0; y < cropHeight; y++) {
      int sy = y + top;
      for (int x = 0; x < cropWidth; x++) {
        int sx = x + left;
        int p = sy >= 0 && sy < h && sx >= 0 && sx < w ? rgb[sy * w + sx] : 0;
        for (int ch = 0; ch < 3; ch++) {
          float v = (p >> (16 - 8 * ch)) & 0xff;
          if (doRescale) {
            v = (float) (v * rescaleFactor);
          }
          if (doNormalize) {
            v = (v - mean[ch]) / std[ch];
          }
          out[ch * plane + y * cropWidth + x] = v;
        }
      }
    }
    return out;
  }

  /**
   * Packed 0xRRGGBB pixels. Transparency is composited on white; gray images keep their sample
   * values (Java's gray color space is linear and would shift them if converted through sRGB).
   */
  static int[] toRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel cm = image.getColorModel();
    boolean alpha = cm.hasAlpha();
    int[] out = new int[w * h];
    if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
      Raster raster = image.getRaster();
      double grayMax = (1 << cm.getComponentSize(0)) - 1;
      double alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int g = (int) Math.round(raster.getSample(x, y, 0) * 255.0 / grayMax);
          int a = alpha ? (int) Math.round(raster.getSample(x, y, 1) * 255.0 / alphaMax) : 255;
          int v = onWhite(g, a);
          out[y * w + x] = (v << 16) | (v << 8) | v;
        }
      }
      return out;
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      int a = alpha ? p >>> 24 : 255;
      out[i] = (onWhite((p >> 16) & 0xff, a) << 16) | (onWhite((p >> 8) & 0xff, a) << 8) | onWhite(p & 0xff, a);
    }
    return out;
  }

  private static int onWhite(int c, int a) {
    return a == 255 ? c : (int) Math.round((c * a + 255.0 * (255 - a)) / 255.0);
  }

  /** The settings as JSON-friendly text, for inspect-model. */
  public String describe() {
    return "resize shortest edge " + shortestEdge + " (" + resample.name().toLowerCase(java.util.Locale.ROOT)
        + "), center crop " + cropHeight + "x" + cropWidth + ", rescale " + (doRescale ? rescaleFactor : 1)
        + ", normalize mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
  }
}

package dev.pagebeam.transforms.ocr;

import static org.bytedeco.leptonica.global.leptonica.L_SEVERITY_NONE;
import static org.bytedeco.leptonica.global.leptonica.setMsgSeverity;
import static org.bytedeco.tesseract.global.tesseract.OEM_LSTM_ONLY;
import static org.bytedeco.tesseract.global.tesseract.PSM_AUTO;
import static org.bytedeco.tesseract.global.tesseract.TessDeleteText;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.tesseract.ETEXT_DESC;
import org.bytedeco.tesseract.FileReader;
import org.bytedeco.tesseract.StringVector;
import org.bytedeco.tesseract.TessBaseAPI;

/**
 * One Tesseract engine inside the JVM (JavaCPP presets, no subprocess). Not thread-safe: each DoFn
 * instance owns one, opened in {@code @Setup} and closed in {@code @Teardown}. Images are handed
 * over as 8-bit gray pixels, never as files.
 *
 * <p>An image is read with Tesseract's global (Otsu) threshold first, which reads clean pages and
 * screenshots best. When that finds no text worth keeping ({@link OcrResult#isText()}), it is read
 * again with Sauvola's local threshold, which finds text on uneven backgrounds (a label in a photo,
 * a shaded scan) that the global threshold loses entirely; only images without text pay twice.
 */
public final class OcrEngine implements AutoCloseable {
  private final OcrSettings settings;
  private TessBaseAPI api;

  private OcrEngine(OcrSettings settings, TessBaseAPI api) {
    this.settings = settings;
    this.api = api;
  }

  /** Loads the language data; fails with what to do when it cannot. */
  public static OcrEngine open(OcrSettings settings) throws IOException {
    // Leptonica's own diagnostics ("Error in pixScanForForeground: invalid box") would go to stderr;
    // Tesseract's return codes say what matters.
    setMsgSeverity(L_SEVERITY_NONE);
    TessBaseAPI api = new TessBaseAPI();
    boolean ok = false;
    try {
      // Tesseract's diagnostics ("Detected N diacritics") would go to stderr.
      api.SetVariable("debug_file", "/dev/null");
      int rc;
      if (settings.usesBundledData()) {
        byte[] data = TessData.bundledEnglish();
        try (BytePointer bytes = new BytePointer(data); BytePointer language = new BytePointer("eng")) {
          rc = api.Init(bytes, data.length, language, OEM_LSTM_ONLY, (PointerPointer<?>) null, 0,
              (StringVector) null, (StringVector) null, false, (FileReader) null);
        }
      } else {
        rc = api.Init(settings.dataDir(), settings.languages(), OEM_LSTM_ONLY);
      }
      if (rc != 0) {
        throw new IOException("Tesseract could not load the language data " + settings.languages()
            + (settings.usesBundledData() ? " bundled in pagebeam" : " from " + settings.dataDir())
            + " (Init returned " + rc + "); check that the .traineddata files are Tesseract 4/5 LSTM models");
      }
      api.SetVariable("debug_file", "/dev/null");
      api.SetPageSegMode(PSM_AUTO);
      ok = true;
      return new OcrEngine(settings, api);
    } finally {
      if (!ok) {
        api.End();
        api.close();
      }
    }
  }

  /** Tesseract's version, for logs. */
  public static String version() {
    return TessBaseAPI.Version().getString();
  }

  /**
   * Reads the text in {@code image}, which shows its content at {@code dpi} pixels per inch (what
   * Tesseract uses to judge sizes). Throws when Tesseract fails or exceeds the time limit.
   */
  public OcrResult read(BufferedImage image, int dpi) throws OcrException {
    if (api == null) {
      throw new IllegalStateException("the OCR engine is closed");
    }
    return read(image, dpi, settings.secondsPerImage() * 1000);
  }

  /** {@link #read(BufferedImage, int)} with a time limit in milliseconds for each pass. */
  OcrResult read(BufferedImage image, int dpi, int millis) throws OcrException {
    byte[] gray = grayPixels(image);
    OcrResult global = read(gray, image.getWidth(), image.getHeight(), dpi, GLOBAL_THRESHOLD, millis);
    if (global.isText()) {
      return global;
    }
    OcrResult local = read(gray, image.getWidth(), image.getHeight(), dpi, LOCAL_THRESHOLD, millis);
    return local.isText() ? local : global;
  }

  /** Tesseract's thresholding_method values. */
  private static final String GLOBAL_THRESHOLD = "0";
  private static final String LOCAL_THRESHOLD = "2";

  private OcrResult read(byte[] gray, int w, int h, int dpi, String thresholding, int millis) throws OcrException {
    ETEXT_DESC monitor = new ETEXT_DESC();
    try {
      api.SetVariable("thresholding_method", thresholding);
      api.SetImage(gray, w, h, 1, w);
      api.SetSourceResolution(dpi);
      monitor.set_deadline_msecs(millis);
      int rc = api.Recognize(monitor);
      if (rc != 0 && monitor.deadline_exceeded()) {
        throw new OcrException("OCR of this " + w + "x" + h + " image took longer than --ocrSecondsPerImage="
            + settings.secondsPerImage(), true);
      }
      if (rc != 0) {
        throw new OcrException("Tesseract could not read this " + w + "x" + h + " image (Recognize returned " + rc
            + ")", false);
      }
      BytePointer utf8 = api.GetUTF8Text();
      String text;
      try {
        text = utf8 == null ? "" : utf8.getString(StandardCharsets.UTF_8);
      } finally {
        if (utf8 != null) {
          TessDeleteText(utf8);
        }
      }
      text = normalize(text);
      int confidence = text.isEmpty() ? 0 : api.MeanTextConf();
      return new OcrResult(text, confidence, countWords(text));
    } catch (RuntimeException e) {
      throw new OcrException("Tesseract failed on this " + w + "x" + h + " image: " + e, false);
    } finally {
      api.Clear();
      monitor.close();
    }
  }

  /** Trailing spaces removed, runs of blank lines cut to one (a paragraph break), ends trimmed. */
  static String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int blank = 0;
    for (String line : text.split("\n", -1)) {
      String l = line.stripTrailing();
      if (l.isBlank()) {
        blank++;
        continue;
      }
      if (out.length() > 0) {
        out.append(blank > 0 ? "\n\n" : "\n");
      }
      out.append(l);
      blank = 0;
    }
    return out.toString();
  }

  private static int countWords(String text) {
    int words = 0;
    boolean in = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !in) {
        words++;
      }
      in = !space;
    }
    return words;
  }

  /** 8-bit gray pixels, row by row; transparency is composed onto white. */
  static byte[] grayPixels(BufferedImage image) {
    BufferedImage gray = image;
    if (image.getType() != BufferedImage.TYPE_BYTE_GRAY || image.getRaster().getDataBuffer().getNumBanks() != 1
        || ((DataBufferByte) image.getRaster().getDataBuffer()).getData().length != image.getWidth() * image.getHeight()) {
      gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = gray.createGraphics();
      try {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
      } finally {
        g.dispose();
      }
    }
    return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
  }

  @Override
  public void close() {
    if (api != null) {
      api.End();
      api.close();
      api = null;
    }
  }
}

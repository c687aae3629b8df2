package dev.pagebeam.bench;

import dev.pagebeam.transforms.ocr.CharacterErrorRate;
import dev.pagebeam.transforms.ocr.OcrEngine;
import dev.pagebeam.transforms.ocr.OcrImages;
import dev.pagebeam.transforms.ocr.OcrResult;
import dev.pagebeam.transforms.ocr.OcrSettings;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.split.ImageTextReader;
import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.split.PdfDocumentSplitter;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.split.SplitCounters;
import dev.pagebeam.transforms.split.SplitOutput;
import dev.pagebeam.transforms.split.SplitSettings;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.PDFTextStripperByArea;

/**
 * {@code bin/pagebeam bench-ocr}: OCR pages/s and images/s through the pipeline (SplitPdfs on the
 * DirectRunner) next to a bare loop of the same splitter and OCR engine calls on the same threads,
 * in one run; then, on the bare engine, the cost per page and the accuracy at several render
 * resolutions, and the cost per image with and without enlarging.
 *
 * <p>Input made from the real corpus: pages of an R manual rendered as 300 dpi gray scans (noise,
 * a slight rotation, JPEG) without a text layer, their text layer kept as the reference; and the
 * raster images embedded in the corpus's manuals, each put on a page of its own.
 */
public final class BenchOcr {
  private BenchOcr() {}

  static final String USAGE = "usage: bin/pagebeam bench-ocr [--input=DIR] [--source=FILE.pdf] [--pages=N]"
      + " [--images=N] [--rounds=N] [--threads=N] [--dpis=150,200,300]\n"
      + "  OCR pages/s and images/s of the pipeline vs a bare loop on the same threads, and accuracy and time per"
      + " page by resolution; see docs/BENCHMARKS.md";

  /** Pages per scanned PDF: one OCR task each (the default pages per task), so both sides spread alike. */
  private static final int PAGES_PER_FILE = OcrSettings.DEFAULT_PAGES_PER_TASK;
  private static final int SCAN_DPI = 300;

  public static void main(String[] args) throws Exception {
    Set<String> known = Set.of("input", "source", "pages", "images", "rounds", "threads", "dpis");
    BenchArgs.main("bench-ocr", USAGE, args, known, a -> {
      String home = System.getProperty("pagebeam.home", ".");
      Path input = Path.of(a.get("input", home + "/tools/corpus/pdf"));
      Path source = Path.of(a.get("source", input + "/r-doc-pdf/R-intro.pdf"));
      int pages = a.getInt("pages", 48);
      int images = a.getInt("images", 64);
      int rounds = a.getInt("rounds", 2);
      int threads = a.getInt("threads", 2);
      List<Integer> dpis = new ArrayList<>();
      for (String d : a.get("dpis", "150,200,300").split(",")) {
        dpis.add(Integer.parseInt(d.trim()));
      }
      if (!Files.isRegularFile(source)) {
        throw new IllegalArgumentException(source + " is missing (run scripts/fetch-corpus.sh for the corpus)");
      }
      Path work = Files.createTempDirectory("pagebeam-bench-ocr");
      Scans scans = scans(source, pages, work.resolve("scans"));
      List<Path> imagePdfs = imagePdfs(BenchSplit.pdfs(input), source, images, work.resolve("images"));
      System.out.printf("bench-ocr: %d scanned pages (%d dpi gray, from %s); %d images (%d embedded in the corpus,"
          + " the rest 96 dpi crops of its pages); %d threads, best of %d rounds (after a warm-up); Tesseract %s%n",
          scans.files.size() * PAGES_PER_FILE, SCAN_DPI, source.getFileName(), images, corpusImages, threads, rounds,
          OcrEngine.version());

      SplitSettings pagesOnly = SplitSettings.defaults().withPageImages(false, 224)
          .withEmbeddedImages(false, 64, 1024);
      SplitSettings imagesOnly = SplitSettings.defaults().withText(false).withPageImages(false, 224);
      // warm-up: JIT, PDFBox fonts, JavaCPP natives
      bare(scans.files.subList(0, 1), pagesOnly, threads, false);
      BenchSplit.pipeline(scans.files.subList(0, 1), pagesOnly, threads, SplitCounters.OCR_PAGES);

      List<String> rows = new ArrayList<>();
      rows.add(row("scanned pages (" + OcrSettings.DEFAULT_PAGE_DPI + " dpi)", scans.files, pagesOnly, threads,
          rounds, false, SplitCounters.OCR_PAGES));
      rows.add(row("embedded images", imagePdfs, imagesOnly, threads, rounds, true, SplitCounters.OCR_IMAGES));
      System.out.printf("%-28s %7s %16s %16s %8s%n", "OCR of", "items", "pipeline items/s", "bare loop items/s",
          "ratio");
      rows.forEach(System.out::println);

      System.out.println();
      System.out.println("resolution sweep, bare engine, one thread: " + Math.min(SWEEP_PAGES, scans.references.size())
          + " scanned pages rendered at each resolution (words found: against their text layer), and " + LAID_OUT_PAGES
          + " of their texts laid out in 10 pt and 7 pt, scanned alike (character errors: exact reference)");
      System.out.printf("%6s %12s %14s %18s %18s%n", "dpi", "ms per page", "words found", "char errors 10 pt",
          "char errors 7 pt");
      for (int dpi : dpis) {
        System.out.println(sweep(scans, dpi));
      }
      System.out.println();
      System.out.println(imageCost());
    });
  }

  private static String row(String name, List<Path> files, SplitSettings settings, int threads, int rounds,
      boolean images, String counter) throws Exception {
    double bestPipeline = 0;
    double bestBare = 0;
    long items = 0;
    for (int r = 0; r < rounds; r++) {
      BenchSplit.Result bare = bare(files, settings, threads, images);
      BenchSplit.Result beam = BenchSplit.pipeline(files, settings, threads, counter);
      if (bare.pages != beam.pages) {
        throw new IllegalStateException(name + ": counts differ: bare " + bare.pages + " vs pipeline " + beam.pages);
      }
      items = bare.pages;
      bestBare = Math.max(bestBare, bare.pagesPerSecond());
      bestPipeline = Math.max(bestPipeline, beam.pagesPerSecond());
      System.out.printf(Locale.ROOT, "  round %d %-26s pipeline %6.2f/s (%.1f s), bare %6.2f/s (%.1f s)%n", r + 1,
          name, beam.pagesPerSecond(), beam.seconds, bare.pagesPerSecond(), bare.seconds);
    }
    return String.format(Locale.ROOT, "%-28s %7d %16.2f %16.2f %7.2fx", name, items, bestPipeline, bestBare,
        bestPipeline / bestBare);
  }

  /**
   * The same calls as the pipeline on a plain thread pool, one file per task: the splitter with an
   * OCR engine per thread (scanned pages are read inline), or the splitter and an
   * {@link ImageTextReader} per thread (embedded images).
   */
  static BenchSplit.Result bare(List<Path> files, SplitSettings settings, int threads, boolean images)
      throws Exception {
    AtomicLong items = new AtomicLong();
    ConcurrentLinkedQueue<AutoCloseable> open = new ConcurrentLinkedQueue<>();
    ThreadLocal<PdfDocumentSplitter> splitters = ThreadLocal.withInitial(() -> {
      try {
        OcrEngine ocr = OcrEngine.open(settings.ocr());
        open.add(ocr);
        return new PdfDocumentSplitter(settings, ocr);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    ThreadLocal<ImageTextReader> readers = ThreadLocal.withInitial(() -> {
      try {
        ImageTextReader reader = new ImageTextReader(settings);
        open.add(reader);
        return reader;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Path file : files) {
        futures.add(pool.submit(() -> {
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            PdfDocumentSplitter splitter = images ? new PdfDocumentSplitter(settings) : splitters.get();
            long ocrPages = splitter.split(file.toString(), channel, Files.size(file), new SplitOutput() {
              @Override
              public void pageText(PageText page) {}

              @Override
              public void image(PdfElement image) {
                if (images && image.getType() == ElementType.EMBEDDED_IMAGE) {
                  readers.get().read(image);
                  items.incrementAndGet();
                }
              }

              @Override
              public void deadLetter(DeadLetter deadLetter) {}
            }).ocrPages();
            items.addAndGet(ocrPages);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    for (AutoCloseable c : open) {
      c.close();
    }
    return new BenchSplit.Result(items.get(), seconds);
  }

  /** The scanned PDFs and, per page, the text layer of the page it was made from. */
  static final class Scans {
    final List<Path> files = new ArrayList<>();
    final List<String> references = new ArrayList<>();
  }

  /** Pages of the resolution sweep (the first files' pages). */
  private static final int SWEEP_PAGES = 16;

  /**
   * {@code count} pages of {@code source} (from page 15, past the title and contents pages, whose dot
   * leaders no OCR reads like their text layer) as a scanner gives
   * them: 300 dpi gray, rotated 0.6 degrees, speckled, JPEG; PAGES_PER_FILE pages per PDF.
   */
  static Scans scans(Path source, int count, Path dir) throws IOException {
    Files.createDirectories(dir);
    Scans scans = new Scans();
    Random random = new Random(42);
    try (PDDocument doc = Loader.loadPDF(source.toFile())) {
      PDFRenderer renderer = new PDFRenderer(doc);
      PDFTextStripper stripper = new PDFTextStripper();
      int first = Math.min(14, doc.getNumberOfPages() - 1);
      int files = Math.max(1, count / PAGES_PER_FILE);
      for (int f = 0; f < files; f++) {
        try (PDDocument out = new PDDocument()) {
          for (int i = 0; i < PAGES_PER_FILE; i++) {
            int index = (first + f * PAGES_PER_FILE + i) % doc.getNumberOfPages();
            stripper.setStartPage(index + 1);
            stripper.setEndPage(index + 1);
            scans.references.add(stripper.getText(doc));
            BufferedImage scan = scanLike(renderer.renderImageWithDPI(index, SCAN_DPI, ImageType.GRAY), random);
            PDRectangle box = doc.getPage(index).getMediaBox();
            PDPage page = new PDPage(new PDRectangle(box.getWidth(), box.getHeight()));
            out.addPage(page);
            PDImageXObject image = JPEGFactory.createFromImage(out, scan, 0.8f);
            try (PDPageContentStream c = new PDPageContentStream(out, page)) {
              c.drawImage(image, 0, 0, box.getWidth(), box.getHeight());
            }
          }
          Path file = dir.resolve(String.format("scan-%02d.pdf", f));
          out.save(file.toFile());
          scans.files.add(file);
        }
      }
    }
    return scans;
  }

  private static BufferedImage scanLike(BufferedImage clean, Random random) {
    int w = clean.getWidth();
    int h = clean.getHeight();
    BufferedImage scan = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = scan.createGraphics();
    try {
      g.setColor(new Color(236, 236, 232));
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(clean, AffineTransform.getRotateInstance(Math.toRadians(0.6), w / 2.0, h / 2.0), null);
    } finally {
      g.dispose();
    }
    byte[] pixels = ((DataBufferByte) scan.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      int v = (pixels[i] & 0xff) + (int) (random.nextGaussian() * 12);
      if (random.nextInt(800) == 0) {
        v = 40;
      }
      pixels[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return scan;
  }

  /**
   * {@code count} images: the raster images embedded in the corpus's PDFs (as pagebeam extracts
   * them; born-digital manuals hold few), then screenshot-like crops of the R manual's pages rendered
   * at screen resolution (96 dpi); each drawn at 96 dpi on a page under one line of text,
   * {@code PAGES_PER_FILE} per PDF.
   */
  static List<Path> imagePdfs(List<Path> corpus, Path source, int count, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<BufferedImage> found = new ArrayList<>();
    SplitSettings extract = SplitSettings.defaults().withText(false).withPageImages(false, 224)
        .withOcr(OcrSettings.off());
    PdfDocumentSplitter splitter = new PdfDocumentSplitter(extract);
    for (Path pdf : corpus) {
      if (found.size() >= count) {
        break;
      }
      try (FileChannel channel = FileChannel.open(pdf, StandardOpenOption.READ)) {
        splitter.split(pdf.toString(), channel, Files.size(pdf), new SplitOutput() {
          @Override
          public void pageText(PageText page) {}

          @Override
          public void image(PdfElement image) {
            if (found.size() < count && image.getType() == ElementType.EMBEDDED_IMAGE) {
              try {
                found.add(ImageIO.read(new ByteArrayInputStream(image.getImageBytes())));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            }
          }

          @Override
          public void deadLetter(DeadLetter deadLetter) {}
        });
      }
    }
    corpusImages = found.size();
    crops.clear();
    try (PDDocument doc = Loader.loadPDF(source.toFile())) {
      PDFRenderer renderer = new PDFRenderer(doc);
      Random random = new Random(7);
      for (int index = 14; found.size() < count; index = (index + 3) % doc.getNumberOfPages()) {
        BufferedImage page = renderer.renderImageWithDPI(index, 96, ImageType.RGB);
        int w = Math.min(page.getWidth(), 480 + random.nextInt(240));
        int h = Math.min(page.getHeight(), 200 + random.nextInt(200));
        int x = random.nextInt(Math.max(1, page.getWidth() - w));
        int y = random.nextInt(Math.max(1, page.getHeight() - h));
        BufferedImage crop = page.getSubimage(x, y, w, h);
        found.add(crop);
        // the text layer of the same region is the crop's reference
        PDFTextStripperByArea area = new PDFTextStripperByArea();
        area.addRegion("crop", new java.awt.geom.Rectangle2D.Float(x * 0.75f, y * 0.75f, w * 0.75f, h * 0.75f));
        area.extractRegions(doc.getPage(index));
        crops.put(crop, area.getTextForRegion("crop"));
      }
    }
    PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    List<Path> files = new ArrayList<>();
    for (int start = 0; start < found.size(); start += PAGES_PER_FILE) {
      try (PDDocument out = new PDDocument()) {
        for (BufferedImage image : found.subList(start, Math.min(found.size(), start + PAGES_PER_FILE))) {
          float w = Math.min(480, image.getWidth() * 72f / 96);
          float h = w * image.getHeight() / image.getWidth();
          PDPage page = new PDPage(new PDRectangle(595, Math.max(842, h + 120)));
          out.addPage(page);
          try (PDPageContentStream c = new PDPageContentStream(out, page)) {
            c.beginText();
            c.setFont(font, 10);
            c.newLineAtOffset(50, page.getMediaBox().getHeight() - 50);
            c.showText("An image of the corpus.");
            c.endText();
            c.drawImage(LosslessFactory.createFromImage(out, image), 50, page.getMediaBox().getHeight() - 70 - h, w, h);
          }
        }
        Path file = dir.resolve(String.format("images-%02d.pdf", start / PAGES_PER_FILE));
        out.save(file.toFile());
        files.add(file);
      }
    }
    return files;
  }

  /** How many of the benchmark's images were embedded in the corpus (the rest are page crops). */
  private static int corpusImages;
  /** The page crops and the text layer of their region. */
  private static final Map<BufferedImage, String> crops = new java.util.LinkedHashMap<>();

  /**
   * At {@code dpi}, one engine on one thread: the time per page and the words found on the scanned
   * R pages (against their text layer, whose reading order and ligatures differ from any OCR), and
   * the character error rate of the same text laid out again in 10 pt and 7 pt Helvetica, scanned
   * like the others, where the reference is exact.
   */
  private static String sweep(Scans scans, int dpi) throws Exception {
    double words = 0;
    long nanos = 0;
    int n = 0;
    double[] errors = new double[2];
    int laidOut = 0;
    try (OcrEngine ocr = OcrEngine.open(OcrSettings.defaults())) {
      for (Path file : scans.files) {
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
          PDFRenderer renderer = new PDFRenderer(doc);
          if (n == 0) {
            ocr.read(renderer.renderImageWithDPI(0, dpi, ImageType.GRAY), dpi); // warm
          }
          for (int i = 0; i < doc.getNumberOfPages() && n < SWEEP_PAGES; i++, n++) {
            long start = System.nanoTime();
            BufferedImage page = renderer.renderImageWithDPI(i, dpi, ImageType.GRAY);
            OcrResult r = ocr.read(page, dpi);
            nanos += System.nanoTime() - start;
            words += wordsFound(scans.references.get(n), r.text());
          }
        }
        if (n >= SWEEP_PAGES) {
          break;
        }
      }
      Random random = new Random(dpi);
      for (int i = 0; i < LAID_OUT_PAGES && i < scans.references.size(); i++) {
        String text = latin1(scans.references.get(i));
        int k = 0;
        for (float size : new float[] {10, 7}) {
          try (PDDocument doc = laidOut(text, size)) {
            BufferedImage page = scanLike(new PDFRenderer(doc).renderImageWithDPI(0, dpi, ImageType.GRAY), random);
            String reference = new PDFTextStripper().getText(doc);
            errors[k++] += CharacterErrorRate.of(reference, ocr.read(page, dpi).text());
          }
        }
        laidOut++;
      }
    }
    return String.format(Locale.ROOT, "%6d %12.0f %13.1f%% %17.2f%% %17.2f%%", dpi, nanos / 1e6 / n,
        100 * words / n, 100 * errors[0] / laidOut, 100 * errors[1] / laidOut);
  }

  private static final int LAID_OUT_PAGES = 6;

  /** The text on one A4 page in Helvetica at {@code size} pt, wrapped to the width (what fits). */
  private static PDDocument laidOut(String text, float size) throws IOException {
    PDDocument doc = new PDDocument();
    PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    PDPage page = new PDPage(PDRectangle.A4);
    doc.addPage(page);
    try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
      float y = 800;
      StringBuilder line = new StringBuilder();
      for (String word : text.split("\\s+")) {
        String candidate = line.length() == 0 ? word : line + " " + word;
        if (font.getStringWidth(candidate) / 1000 * size > 480 && line.length() > 0) {
          y -= size * 1.4f;
          if (y < 50) {
            break;
          }
          c.beginText();
          c.setFont(font, size);
          c.newLineAtOffset(56, y);
          c.showText(line.toString());
          c.endText();
          line = new StringBuilder(word);
        } else {
          line = new StringBuilder(candidate);
        }
      }
    }
    return doc;
  }

  /** The text with typographic characters made plain and the rest outside Latin-1 dropped. */
  private static String latin1(String text) {
    String plain = text.replace('\u2018', '\'').replace('\u2019', '\'').replace('\u201c', '"').replace('\u201d', '"')
        .replace('\u2013', '-').replace('\u2014', '-').replace("\ufb01", "fi").replace("\ufb02", "fl");
    StringBuilder b = new StringBuilder(plain.length());
    for (char ch : plain.toCharArray()) {
      if (ch >= 32 && ch < 127 || ch == '\n') {
        b.append(ch);
      }
    }
    return b.toString();
  }

  /**
   * Milliseconds per image as extracted, and enlarged 2x (what --ocrUpscaleBelow does), on every
   * image; and the character error rate of the page crops against the text layer of their region.
   */
  private static String imageCost() throws Exception {
    long[] nanos = new long[2];
    double[] errors = new double[2];
    int images = 0;
    try (OcrEngine ocr = OcrEngine.open(OcrSettings.defaults())) {
      for (Map.Entry<BufferedImage, String> crop : crops.entrySet()) {
        for (int f = 1; f <= 2; f++) {
          BufferedImage in = f == 1 ? crop.getKey() : OcrImages.enlarge(crop.getKey(), f);
          long start = System.nanoTime();
          OcrResult r = ocr.read(in, 96 * f);
          nanos[f - 1] += System.nanoTime() - start;
          errors[f - 1] += CharacterErrorRate.of(crop.getValue(), r.text());
        }
        images++;
      }
    }
    return String.format(Locale.ROOT, "%d screenshot-like crops (96 dpi), bare engine, one thread: as they are"
        + " %.0f ms per image, %.2f%% character errors; enlarged 2x %.0f ms, %.2f%% character errors", images,
        nanos[0] / 1e6 / images, 100 * errors[0] / images, nanos[1] / 1e6 / images, 100 * errors[1] / images);
  }

  /** The share of the reference's words (letters and digits, lower case) that OCR found, as a multiset. */
  static double wordsFound(String reference, String hypothesis) {
    Map<String, Integer> seen = new HashMap<>();
    for (String w : hypothesis.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        seen.merge(w, 1, Integer::sum);
      }
    }
    int total = 0;
    int found = 0;
    for (String w : reference.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.isEmpty()) {
        continue;
      }
      total++;
      Integer left = seen.get(w);
      if (left != null && left > 0) {
        found++;
        seen.put(w, left - 1);
      }
    }
    return total == 0 ? 1 : (double) found / total;
  }
}

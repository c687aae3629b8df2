package dev.pagebeam.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Real-world PDFs, damaged the ways files are damaged in the wild: short documents cut from real
 * manuals (1 to 3 pages each, as scanned tickets and exported pages are), then truncated, with
 * bytes flipped, zeroed windows, garbled streams, a lost cross-reference table, wrong stream
 * lengths or filters. One in ten is left intact. Deterministic for a seed.
 *
 * <p>Run: {@code java ... DamagedCorpus SOURCE_DIR COUNT OUT_DIR} (used by bench-hostile).
 */
public final class DamagedCorpus {
  /** The ways a file is damaged, in the order the generator cycles through them. */
  enum Damage {
    INTACT, TRUNCATED, FLIPPED_BYTES, ZEROED_WINDOW, GARBLED_STREAMS, NO_XREF, WRONG_LENGTHS, WRONG_FILTER,
    SPLICED
  }

  private DamagedCorpus() {}

  /**
   * Writes {@code count} damaged documents cut from the PDFs under {@code source} into {@code out};
   * returns their paths. Names say the source, the pages and the damage.
   */
  public static List<Path> write(Path source, int count, Path out, long seed) throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(source)) {
      sources = files.filter(p -> p.toString().endsWith(".pdf")).sorted().collect(Collectors.toList());
    }
    if (sources.isEmpty()) {
      throw new IOException("no PDFs under " + source);
    }
    Files.createDirectories(out);
    Random random = new Random(seed);
    List<Path> written = new ArrayList<>();
    int perSource = (count + sources.size() - 1) / sources.size();
    for (Path pdf : sources) {
      try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(pdf.toFile()))) {
        int pages = doc.getNumberOfPages();
        for (int i = 0; i < perSource && written.size() < count; i++) {
          int first = random.nextInt(pages);
          int length = Math.min(pages - first, 1 + random.nextInt(3));
          byte[] cut = cut(doc, first, length);
          Damage damage = Damage.values()[written.size() % Damage.values().length];
          String name = String.format("%04d-%s-p%d-%s.pdf", written.size(), stem(pdf), first + 1,
              damage.name().toLowerCase().replace('_', '-'));
          Path file = out.resolve(name);
          Files.write(file, damage(cut, damage, random));
          written.add(file);
        }
      }
    }
    return written;
  }

  private static String stem(Path pdf) {
    String name = pdf.getFileName().toString();
    return name.substring(0, name.length() - 4).replaceAll("[^A-Za-z0-9]+", "-");
  }

  private static byte[] cut(PDDocument doc, int first, int length) throws IOException {
    try (PDDocument part = new PDDocument()) {
      for (int p = first; p < first + length; p++) {
        part.importPage(doc.getPage(p));
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      part.save(bytes);
      return bytes.toByteArray();
    }
  }

  static byte[] damage(byte[] pdf, Damage damage, Random random) {
    byte[] b = pdf.clone();
    String text = new String(b, StandardCharsets.ISO_8859_1);
    switch (damage) {
      case INTACT:
        return b;
      case TRUNCATED:
        return java.util.Arrays.copyOf(b, (int) (b.length * (0.3 + 0.65 * random.nextDouble())));
      case FLIPPED_BYTES:
        for (int i = 0; i < 40; i++) {
          b[b.length / 10 + random.nextInt(b.length * 8 / 10)] ^= (byte) (1 + random.nextInt(255));
        }
        return b;
      case ZEROED_WINDOW:
        int start = random.nextInt(Math.max(1, b.length - 2048));
        java.util.Arrays.fill(b, start, Math.min(b.length, start + 2048), (byte) 0);
        return b;
      case GARBLED_STREAMS:
        // the first 64 bytes of each stream's data ("stream" and its end of line, not "endstream")
        java.util.regex.Matcher data = java.util.regex.Pattern.compile("(?<!end)stream\r?\n").matcher(text);
        while (data.find()) {
          for (int i = data.end(); i < Math.min(b.length, data.end() + 64); i++) {
            b[i] = (byte) random.nextInt(256);
          }
        }
        return b;
      case NO_XREF:
        int xref = Math.max(text.lastIndexOf("\nxref"), text.lastIndexOf("startxref"));
        return xref < 0 ? b : (text.substring(0, xref) + "\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1);
      case WRONG_LENGTHS:
        return text.replaceAll("/Length (\\d+)", "/Length " + (1 + random.nextInt(100_000)))
            .getBytes(StandardCharsets.ISO_8859_1);
      case WRONG_FILTER:
        return text.replace("/FlateDecode", "/LZWDecode").getBytes(StandardCharsets.ISO_8859_1);
      case SPLICED:
        // the second half of the file repeated in the middle, as a bad concatenation leaves it
        int middle = b.length / 2;
        ByteArrayOutputStream spliced = new ByteArrayOutputStream();
        spliced.write(b, 0, middle);
        spliced.write(b, middle / 2, b.length - middle / 2);
        return spliced.toByteArray();
      default:
        throw new IllegalArgumentException(damage.name());
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: DamagedCorpus SOURCE_DIR COUNT OUT_DIR");
      System.exit(2);
    }
    List<Path> written = write(Path.of(args[0]), Integer.parseInt(args[1]), Path.of(args[2]), 18);
    System.out.println("wrote " + written.size() + " damaged PDFs to " + args[2]);
  }
}

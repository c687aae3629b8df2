package dev.pagebeam.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.multipdf.Splitter;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * {@code bin/pagebeam bench-scale-corpus}: cuts real manuals into short documents for
 * {@code scripts/bench-scale.sh}. From every PDF under {@code --from} (sorted by path, so the same
 * packages give the same corpus), it takes the first pages, at most {@code --pagesPerManual} of
 * each, until {@code --docs} pages are taken, and writes each page as a document of its own into
 * {@code OUT/short/} and each manual's taken pages as one document into {@code OUT/long/}: the same
 * pages as many short documents and as a few long ones. {@code OUT/PROVENANCE.tsv} names the
 * manual and page of every short document. A PDF that PDFBox cannot open or cut is skipped and
 * said so.
 */
public final class ScaleCorpus {
  private ScaleCorpus() {}

  static final String USAGE = "usage: bin/pagebeam bench-scale-corpus --from=DIR[,DIR...] --out=DIR [--docs=12000]"
      + " [--pagesPerManual=150]\n  cuts the PDFs under --from into one-page documents (OUT/short) and the same"
      + " pages as whole manuals (OUT/long)";

  public static void main(String[] args) throws Exception {
    BenchArgs.main("bench-scale-corpus", USAGE, args, Set.of("from", "out", "docs", "pagesPerManual"), a -> {
      Path out = Path.of(a.require("out"));
      int docs = a.getInt("docs", 12000);
      int perManual = a.getInt("pagesPerManual", 150);
      List<Path> pdfs = new ArrayList<>();
      for (String from : a.require("from").split(",")) {
        try (Stream<Path> walk = Files.walk(Path.of(from))) {
          pdfs.addAll(walk.filter(p -> p.toString().toLowerCase().endsWith(".pdf") && Files.isRegularFile(p))
              .sorted().collect(Collectors.toList()));
        }
      }
      Path shortDir = Files.createDirectories(out.resolve("short"));
      Path longDir = Files.createDirectories(out.resolve("long"));
      int taken = 0;
      int manuals = 0;
      try (PrintWriter provenance = new PrintWriter(Files.newBufferedWriter(out.resolve("PROVENANCE.tsv"),
          StandardCharsets.UTF_8))) {
        provenance.println("document\tmanual\tpage");
        for (Path pdf : pdfs) {
          if (taken >= docs) {
            break;
          }
          int n = cut(pdf, Math.min(perManual, docs - taken), shortDir, longDir, provenance);
          if (n > 0) {
            taken += n;
            manuals++;
            if (manuals % 25 == 0) {
              System.out.printf("bench-scale-corpus: %d documents from %d manuals%n", taken, manuals);
            }
          }
        }
      }
      if (taken < docs) {
        throw new IllegalArgumentException("only " + taken + " pages in " + pdfs.size() + " PDFs under "
            + a.require("from") + "; raise --pagesPerManual, add PDFs under --from, or ask for fewer --docs");
      }
      System.out.printf("bench-scale-corpus: %d one-page documents in %s, the same pages as %d manuals in %s%n",
          taken, shortDir, manuals, longDir);
    });
  }

  /** Cuts the first {@code limit} pages of {@code pdf}; returns how many, 0 when it cannot. */
  private static int cut(Path pdf, int limit, Path shortDir, Path longDir, PrintWriter provenance) {
    String stem = stem(pdf);
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      if (doc.isEncrypted() || doc.getNumberOfPages() == 0) {
        System.out.printf("bench-scale-corpus: skipped %s (%s)%n", pdf, doc.isEncrypted() ? "encrypted" : "no pages");
        return 0;
      }
      int pages = Math.min(limit, doc.getNumberOfPages());
      Splitter whole = new Splitter();
      whole.setStartPage(1);
      whole.setEndPage(pages);
      whole.setSplitAtPage(pages);
      save(whole.split(doc), List.of(longDir.resolve(stem + ".pdf")));
      Splitter each = new Splitter();
      each.setStartPage(1);
      each.setEndPage(pages);
      List<Path> names = new ArrayList<>();
      for (int page = 1; page <= pages; page++) {
        names.add(shortDir.resolve(String.format("%s-p%04d.pdf", stem, page)));
      }
      save(each.split(doc), names);
      for (int page = 1; page <= pages; page++) {
        provenance.printf("%s\t%s\t%d%n", names.get(page - 1).getFileName(), pdf, page);
      }
      return pages;
    } catch (IOException | RuntimeException e) {
      System.out.printf("bench-scale-corpus: skipped %s (%s)%n", pdf, e);
      return 0;
    }
  }

  private static void save(List<PDDocument> parts, List<Path> names) throws IOException {
    try {
      for (int i = 0; i < parts.size(); i++) {
        parts.get(i).save(names.get(i).toFile());
      }
    } finally {
      for (PDDocument part : parts) {
        part.close();
      }
    }
  }

  /** A file name from the manual's path: its folder and name, so that two index.pdf stay apart. */
  private static String stem(Path pdf) {
    String name = pdf.getFileName().toString().replaceFirst("(?i)\\.pdf$", "");
    Path parent = pdf.getParent();
    String folder = parent == null ? "" : parent.getFileName().toString() + "_";
    return (folder + name).replaceAll("[^A-Za-z0-9._-]", "_");
  }
}

package dev.pagebeam.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The real-world PDFs fetched by scripts/fetch-corpus.sh (never committed). */
final class Corpus {
  private Corpus() {}

  static Path home() {
    return Path.of(System.getProperty("pagebeam.home", "..")).toAbsolutePath().normalize();
  }

  static Path dir() {
    Path dir = home().resolve("tools/corpus/pdf");
    if (!Files.isRegularFile(home().resolve("tools/corpus/.complete"))) {
      throw new IllegalStateException("the real-PDF corpus is missing from " + dir
          + ": run scripts/fetch-corpus.sh (scripts/test.sh does it for you)");
    }
    return dir;
  }

  static Path file(String name) throws IOException {
    try (Stream<Path> files = Files.walk(dir())) {
      return files.filter(p -> p.getFileName().toString().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalStateException(name + " is not in the corpus; rerun scripts/fetch-corpus.sh"));
    }
  }

  static List<Path> pdfs() throws IOException {
    try (Stream<Path> files = Files.walk(dir())) {
      return files.filter(p -> p.toString().endsWith(".pdf")).sorted().collect(Collectors.toList());
    }
  }
}

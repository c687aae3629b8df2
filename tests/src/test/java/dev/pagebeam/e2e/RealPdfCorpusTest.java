package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelTokenizer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest command on real manuals from Debian's documentation packages (R, Octave, gnuplot,
 * Asymptote, ReportLab, the Debian Reference): about 5,000 pages, under a 1 GB heap.
 */
class RealPdfCorpusTest {
  /** An Asymptote example that is a single picture: it has no text layer at all. */
  private static final Set<String> NO_TEXT_LAYER = Set.of("pixel.pdf");

  @TempDir Path out;

  @Test
  void everyDocumentIsSplitCompletelyAndNoChunkExceedsTheLimit() throws Exception {
    List<Path> pdfs = Corpus.pdfs();
    assertThat(pdfs).hasSizeGreaterThanOrEqualTo(20);
    IngestRun run = IngestRun.ingest(out, "--input=" + Corpus.dir(), "--writeImages=false", "--encode=false",
        "--writeElements=true");
    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.count("files_seen")).isEqualTo(pdfs.size());
    assertThat(run.count("files_ok")).isEqualTo(pdfs.size());
    assertThat(run.count("dead_letters")).isZero();

    Map<String, Set<Integer>> thumbnailPages = new HashMap<>();
    Map<String, Integer> chunks = new HashMap<>();
    List<JsonNode> textChunks = new java.util.ArrayList<>();
    for (JsonNode e : run.elements()) {
      String source = e.get("source").asText();
      switch (e.get("type").asText()) {
        case "page_image":
          assertThat(Math.max(e.get("width").asInt(), e.get("height").asInt())).isEqualTo(224);
          thumbnailPages.computeIfAbsent(source, s -> new HashSet<>()).add(e.get("page").asInt());
          break;
        case "text_chunk":
          chunks.merge(source, 1, Integer::sum);
          textChunks.add(e);
          break;
        default:
          break;
      }
    }
    long totalPages = 0;
    for (Path pdf : pdfs) {
      int expectedPages;
      try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
        expectedPages = doc.getNumberOfPages();
      }
      totalPages += expectedPages;
      String source = pdf.toString();
      assertThat(thumbnailPages.get(source)).as("pages of %s", pdf.getFileName())
          .hasSize(expectedPages).allSatisfy(p -> assertThat(p).isBetween(1, expectedPages));
      if (NO_TEXT_LAYER.contains(pdf.getFileName().toString())) {
        assertThat(chunks.get(source)).isNull();
      } else {
        assertThat(chunks.get(source)).as("chunks of %s", pdf.getFileName()).isGreaterThan(0);
      }
    }
    assertThat(run.count("pages")).isEqualTo(totalPages);
    assertThat(run.count("page_images")).isEqualTo(totalPages);
    assertThat(run.count("text_chunks")).isEqualTo(textChunks.size());

    // Every chunk reports at most 256 tokens; re-tokenising a sample independently agrees.
    assertThat(textChunks).allSatisfy(c -> assertThat(c.get("token_count").asInt()).isBetween(3, 256));
    Random random = new Random(42);
    try (ModelTokenizer tokenizer = ModelTokenizer.load(ModelLocation.bundled(ModelLocation.DEFAULT_MODEL))) {
      for (int i = 0; i < 1000; i++) {
        JsonNode c = textChunks.get(random.nextInt(textChunks.size()));
        int tokens = tokenizer.countWithSpecialTokens(c.get("text").asText());
        assertThat(tokens).isEqualTo(c.get("token_count").asInt()).isLessThanOrEqualTo(256);
      }
    }
  }

  @Test
  void aThousandPageManualFitsInAOneGigabyteHeap() throws Exception {
    assertThat(Runtime.getRuntime().maxMemory()).as("surefire caps this JVM's heap").isLessThanOrEqualTo(1L << 30);
    Path octave = Corpus.file("octave.pdf");
    int pages;
    try (PDDocument doc = Loader.loadPDF(octave.toFile())) {
      pages = doc.getNumberOfPages();
    }
    assertThat(pages).isGreaterThanOrEqualTo(1000);
    IngestRun run = IngestRun.ingest(out, "--input=" + octave, "--writeImages=false", "--encode=false",
        "--writeElements=true");
    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.count("files_ok")).isEqualTo(1);
    assertThat(run.count("pages")).isEqualTo(pages);
    assertThat(run.count("page_images")).isEqualTo(pages);
    assertThat(run.count("text_chunks")).isGreaterThan(pages);
    Set<String> ids = run.elements().stream().map(e -> e.get("id").asText()).collect(Collectors.toSet());
    assertThat(ids).hasSize(run.elements().size());
  }
}

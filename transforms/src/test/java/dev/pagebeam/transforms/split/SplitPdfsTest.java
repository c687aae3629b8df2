package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.core.PagebeamCounters;
import dev.pagebeam.transforms.core.Hashes;
import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.DeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SplitPdfs on the DirectRunner: outputs, ids, dead letters and counters. */
@ExtendWith(TestPipelineExtension.class)
class SplitPdfsTest {
  @TempDir Path dir;

  @Test
  void splitsAFolderIntoChunksThumbnailsImagesAndDeadLetters(TestPipeline p) throws Exception {
    String longText = TokenChunkerTest.prose(21, 8, 6);
    Path text = TestPdfs.write(dir, "report.pdf", TestPdfs.text(longText, "A short second page."));
    TestPdfs.write(dir, "images.pdf", TestPdfs.images());
    TestPdfs.write(dir, "readme.pdf", "this is a text file with a .pdf name".getBytes(StandardCharsets.UTF_8));
    TestPdfs.write(dir, "empty.pdf", new byte[0]);
    SplitSettings settings = SplitSettings.defaults().withChunking(128, 16);

    SplitPdfs.Result out = p.apply(Create.of(dir + "/*.pdf")).apply(SplitPdfs.with(settings));

    PCollection<String> summary = out.elements().apply(MapElements.into(TypeDescriptors.strings())
        .via(e -> e.getSource().substring(e.getSource().lastIndexOf('/') + 1) + ":" + e.getType().label()));
    PAssert.that(summary).satisfies(items -> {
      Map<String, Long> counts = new HashMap<>();
      items.forEach(i -> counts.merge(i, 1L, Long::sum));
      assertThat(counts.get("report.pdf:page_image")).isEqualTo(2);
      assertThat(counts.get("report.pdf:text_chunk")).isGreaterThan(3);
      assertThat(counts.get("images.pdf:page_image")).isEqualTo(3);
      assertThat(counts.get("images.pdf:embedded_image")).isEqualTo(3);
      assertThat(counts).doesNotContainKeys("readme.pdf:page_image", "empty.pdf:page_image");
      return null;
    });
    PAssert.that(out.elements()).satisfies(elements -> {
      for (PdfElement e : elements) {
        if (e.getType() == ElementType.TEXT_CHUNK) {
          assertThat(e.getTokenCount()).isBetween(1, 128);
          assertThat(e.getText()).isNotBlank();
          assertThat(e.getContentHash()).isEqualTo(Hashes.sha256Hex(e.getText()));
        } else {
          assertThat(Math.max(e.getWidth(), e.getHeight())).isLessThanOrEqualTo(1024);
        }
        assertThat(e.getId()).hasSize(32);
        assertThat(e.getDocumentId()).hasSize(64);
      }
      return null;
    });
    PAssert.that(out.deadLetters()).satisfies(deadLetters -> {
      List<DeadLetter> all = new ArrayList<>();
      deadLetters.forEach(all::add);
      assertThat(all).extracting(d -> d.getFile().substring(d.getFile().lastIndexOf('/') + 1) + ":" + d.getErrorKind())
          .containsExactlyInAnyOrder("readme.pdf:NOT_A_PDF", "empty.pdf:EMPTY_FILE");
      return null;
    });

    // one file report per file; the two that are not PDFs failed as a whole
    PAssert.that(out.reports()).satisfies(reports -> {
      Map<String, String> byFile = new HashMap<>();
      reports.forEach(r -> {
        if (r.isFileReport()) {
          assertThat(byFile.put(r.source().substring(r.source().lastIndexOf('/') + 1),
              String.valueOf(r.failure()))).as("one file report per file").isNull();
        }
      });
      assertThat(byFile).containsOnlyKeys("report.pdf", "images.pdf", "readme.pdf", "empty.pdf");
      assertThat(byFile.get("report.pdf")).isEqualTo("null");
      assertThat(byFile.get("images.pdf")).isEqualTo("null");
      assertThat(byFile.get("readme.pdf")).startsWith("NOT_A_PDF");
      assertThat(byFile.get("empty.pdf")).startsWith("EMPTY_FILE");
      return null;
    });

    PipelineResult result = p.run();
    result.waitUntilFinish();
    Map<String, Long> c = counters(result);
    assertThat(c.get("files_seen")).isEqualTo(4);
    assertThat(c.get("pages")).isEqualTo(5);
    assertThat(c.get("page_images")).isEqualTo(5);
    assertThat(c.get("embedded_images")).isEqualTo(3);
    assertThat(c.get("pages_without_text")).isEqualTo(1);
    assertThat(c.get("text_chunks")).isGreaterThan(4);
    assertThat(Files.exists(text)).isTrue();
  }

  @Test
  void elementIdsMatchAnIndependentRunOfTheSameCode(TestPipeline p) throws Exception {
    byte[] pdf = TestPdfs.text(TokenChunkerTest.prose(2, 6, 5), TokenChunkerTest.prose(3, 2, 5));
    Path file = TestPdfs.write(dir, "doc.pdf", pdf);
    SplitSettings settings = SplitSettings.defaults();

    List<String> expected = new ArrayList<>();
    Collected direct = Collected.split(file.toString(), pdf, settings);
    try (ModelTokenizer tokenizer = ModelTokenizer.load(ModelLocation.bundled(ModelLocation.DEFAULT_MODEL))) {
      TokenChunker chunker = new TokenChunker(tokenizer, settings.maxTokens(), settings.overlapTokens());
      for (PageText page : direct.texts) {
        int i = 0;
        for (TokenChunker.Chunk chunk : chunker.chunk(page.getText())) {
          expected.add(PdfElement.textChunk(page, i++, chunk.charStart, chunk.charEnd, chunk.tokenCount,
              chunker.fingerprint()).getId());
        }
      }
    }
    direct.images.forEach(e -> expected.add(e.getId()));

    PCollection<String> ids = p.apply(Create.of(file.toString())).apply(SplitPdfs.with(settings)).elements()
        .apply(MapElements.into(TypeDescriptors.strings()).via(PdfElement::getId));
    PAssert.that(ids).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  static Map<String, Long> counters(PipelineResult result) {
    Iterable<MetricResult<Long>> counters = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(PagebeamCounters.NAMESPACE)).build()).getCounters();
    return StreamSupport.stream(counters.spliterator(), false)
        .collect(Collectors.toMap(m -> m.getName().getName(), MetricResult::getCommitted, Long::sum));
  }
}

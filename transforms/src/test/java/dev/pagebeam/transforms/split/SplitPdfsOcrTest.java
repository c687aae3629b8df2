package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.core.PagebeamCounters;
import dev.pagebeam.transforms.elements.EncodedImage;
import dev.pagebeam.transforms.elements.TextSource;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.core.DeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.transforms.ocr.CharacterErrorRate;
import dev.pagebeam.transforms.ocr.OcrFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SplitPdfs with OCR on the DirectRunner: scanned pages, screenshots, and OCR failures. */
@ExtendWith(TestPipelineExtension.class)
class SplitPdfsOcrTest {
  @TempDir Path dir;

  @Test
  void scannedPagesBecomeOcrChunksAndScreenshotsGetTheirTextAndCaption(TestPipeline p) throws Exception {
    String[] pages = OcrFixtures.PROSE.split("\n\n");
    TestPdfs.write(dir, "scan.pdf", OcrFixtures.scannedPdf(200, pages));
    TestPdfs.write(dir, "figure.pdf", OcrFixtures.figurePdf());

    SplitPdfs.Result out = p.apply(Create.of(dir + "/*.pdf")).apply(SplitPdfs.with(SplitSettings.defaults()));

    PAssert.that(out.elements()).satisfies(elements -> {
      List<PdfElement> ocrChunks = new ArrayList<>();
      List<PdfElement> images = new ArrayList<>();
      for (PdfElement e : elements) {
        if (e.getType() == ElementType.TEXT_CHUNK && e.getSource().endsWith("scan.pdf")) {
          ocrChunks.add(e);
        } else if (e.getType() == ElementType.EMBEDDED_IMAGE) {
          images.add(e);
        }
      }
      assertThat(ocrChunks).hasSize(3).allSatisfy(e -> {
        assertThat(e.text().source()).isEqualTo(TextSource.OCR);
        assertThat(e.text().ocrConfidence()).isGreaterThan(80);
        assertThat(CharacterErrorRate.of(pages[e.getPage() - 1], e.getText())).isLessThanOrEqualTo(0.02);
        assertThat(e.sourceRef()).endsWith("&ocr");
      });
      assertThat(images).as("only the screenshot: scans are pages").singleElement().satisfies(e -> {
        assertThat(e.getSource()).endsWith("figure.pdf");
        assertThat(e.text().source()).isEqualTo(TextSource.OCR);
        assertThat(e.getText()).startsWith(OcrFixtures.FIGURE_CAPTION + "\n\n");
        assertThat(e.getText()).contains(OcrFixtures.DIALOG_ERROR).contains("Check the share's permissions");
        assertThat(e.getTokenCount()).isBetween(20, 256);
        assertThat(e.image().ocrText()).contains(OcrFixtures.DIALOG_ERROR);
        assertThat(e.getImageBytes()).as("bytes kept for the image files and image models").isNotEmpty();
      });
      return null;
    });
    PAssert.that(out.deadLetters()).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Map<String, Long> c = counters(result);
    assertThat(c).containsEntry(SplitCounters.OCR_PAGES, 3L).containsEntry(SplitCounters.OCR_IMAGES, 1L)
        .containsEntry(SplitCounters.IMAGES_WITHOUT_TEXT, 0L);
  }

  @Test
  void anImageOcrCannotReadIsADeadLetterForThatImageAlone(TestPipeline p) {
    String doc = "d".repeat(64);
    PdfElement broken = PdfElement.embeddedImage(doc, "/corpus/a.pdf", 2, 3, "a".repeat(64), "Im1",
        new EncodedImage(new byte[] {1, 2, 3, 4}, "png", 100, 100), 1024, null, null, null);
    PdfElement captioned = PdfElement.embeddedImage(doc, "/corpus/a.pdf", 3, 3, "b".repeat(64), "Im2",
        new EncodedImage(new byte[] {5, 6, 7}, "png", 100, 100), 1024, "Figure 2: a broken image", null, null);
    PCollectionTuple out = p.apply(Create.of(broken, captioned).withCoder(PdfElement.ElementCoder.of()))
        .apply(ParDo.of(new ReadImageTextFn(SplitSettings.defaults()))
            .withOutputTags(ReadImageTextFn.ELEMENTS, TupleTagList.of(ReadImageTextFn.DEAD_LETTERS)));
    out.get(ReadImageTextFn.ELEMENTS).setCoder(PdfElement.ElementCoder.of());
    out.get(ReadImageTextFn.DEAD_LETTERS).setCoder(DeadLetter.CODER);
    PAssert.that(out.get(ReadImageTextFn.DEAD_LETTERS)).satisfies(letters -> {
      assertThat(letters).hasSize(2).allSatisfy(d -> {
        assertThat(d.getStage()).isEqualTo(DeadLetter.STAGE_OCR);
        assertThat(d.getErrorKind()).isEqualTo(ErrorKind.OCR_FAILED);
        assertThat(d.getMessage()).contains("no image decoder");
      });
      return null;
    });
    PAssert.that(out.get(ReadImageTextFn.ELEMENTS)).satisfies(elements -> {
      Map<Integer, PdfElement> byPage = new TreeMap<>();
      elements.forEach(e -> byPage.put(e.getPage(), e));
      assertThat(byPage.get(2).hasText()).isFalse();
      assertThat(byPage.get(2).image().ocrText()).isEmpty();
      // the caption still makes the other one searchable
      assertThat(byPage.get(3).getText()).isEqualTo("Figure 2: a broken image");
      assertThat(byPage.get(3).text().source()).isEqualTo(TextSource.CAPTION);
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counters(result)).containsEntry(SplitCounters.IMAGES_WITHOUT_TEXT, 1L);
  }

  static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> c = new TreeMap<>();
    for (MetricResult<Long> m : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(PagebeamCounters.NAMESPACE)).build()).getCounters()) {
      c.merge(m.getName().getName(), m.getAttempted(), Long::sum);
    }
    for (String key : List.of(SplitCounters.OCR_PAGES, SplitCounters.OCR_IMAGES, SplitCounters.IMAGES_WITHOUT_TEXT)) {
      c.putIfAbsent(key, 0L);
    }
    return c;
  }
}

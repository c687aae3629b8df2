package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.ElementIds;
import dev.pagebeam.transforms.elements.TextSource;
import dev.pagebeam.transforms.elements.ElementType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.transforms.ocr.OcrEngine;
import dev.pagebeam.transforms.ocr.CharacterErrorRate;
import dev.pagebeam.transforms.ocr.OcrFixtures;
import dev.pagebeam.transforms.ocr.OcrMode;
import dev.pagebeam.transforms.ocr.OcrSettings;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The splitter with OCR: scanned pages, OCR tasks, captions and context of embedded images. */
class OcrSplitTest {
  private static final SplitSettings DEFAULTS = SplitSettings.defaults();
  private static final String[] PAGES = OcrFixtures.PROSE.split("\n\n");
  private static OcrEngine ocr;

  @BeforeAll
  static void open() throws Exception {
    ocr = OcrEngine.open(OcrSettings.defaults());
  }

  @AfterAll
  static void close() {
    ocr.close();
  }

  @Test
  void scannedPagesBecomeOcrTextAndTheirScanIsNotAnEmbeddedImage() throws Exception {
    byte[] pdf = OcrFixtures.scannedPdf(200, PAGES);
    Collected c = Collected.split("scan.pdf", pdf, DEFAULTS, ocr);
    assertThat(c.deadLetters).isEmpty();
    assertThat(c.texts).hasSize(3).allSatisfy(t -> {
      assertThat(t.getTextSource()).isEqualTo(TextSource.OCR);
      assertThat(t.getOcrConfidence()).isGreaterThan(80);
      assertThat(t.getThumbnailId()).isEqualTo(ElementIds.pageImage(t.getDocumentId(), t.getPage(), 224));
    });
    for (PageText t : c.texts) {
      assertThat(CharacterErrorRate.of(PAGES[t.getPage() - 1], t.getText())).as(t.getText())
          .isLessThanOrEqualTo(0.02);
    }
    assertThat(c.outcome.ocrPages()).isEqualTo(3);
    assertThat(c.outcome.pagesWithoutText()).isEqualTo(3);
    assertThat(c.ofType(ElementType.EMBEDDED_IMAGE)).as("the scans are the pages, not figures").isEmpty();
    assertThat(c.ofType(ElementType.PAGE_IMAGE)).hasSize(3)
        .allSatisfy(t -> assertThat(t.image().pageReadByOcr()).isTrue());
  }

  @Test
  void nearlyBlankPagesAreSkippedAndCountedWhileTheScanBesideThemIsRead() throws Exception {
    Collected c = Collected.split("mixed.pdf", OcrFixtures.nearlyBlankScanAndEmptyPdf(), DEFAULTS, ocr);
    assertThat(c.deadLetters).isEmpty();
    assertThat(c.outcome.pagesWithoutText()).isEqualTo(3);
    assertThat(c.outcome.ocrSkippedPages()).as("the page of rules and shapes, and the empty page").isEqualTo(2);
    assertThat(c.outcome.ocrPages()).as("the scan").isEqualTo(1);
    // the progress line's OCR figure: every page without a text layer was planned and taken up
    assertThat(c.outcome.ocrPagesPlanned()).isEqualTo(3);
    assertThat(c.outcome.ocrPagesTaken()).isEqualTo(3);
    assertThat(c.texts).singleElement().satisfies(t -> {
      assertThat(t.getPage()).isEqualTo(2);
      assertThat(t.getTextSource()).isEqualTo(TextSource.OCR);
      // the scan is tilted, so Tesseract may order its lines differently: count the words it found
      assertThat(wordsFound(OcrFixtures.PROSE, t.getText())).as(t.getText()).isGreaterThanOrEqualTo(0.95);
    });
  }

  /** The share of the distinct words of {@code expected} that occur in {@code read}. */
  private static double wordsFound(String expected, String read) {
    java.util.Set<String> words = words(expected);
    java.util.Set<String> found = words(read);
    return words.stream().filter(found::contains).count() / (double) words.size();
  }

  private static java.util.Set<String> words(String text) {
    return Arrays.stream(text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
        .filter(w -> !w.isEmpty()).collect(Collectors.toSet());
  }

  @Test
  void ocrPagesArePlannedAsTasksOfConsecutivePagesWhenThereIsATaskSink() throws Exception {
    String[] ten = new String[10];
    Arrays.setAll(ten, i -> PAGES[i % 3]);
    byte[] pdf = OcrFixtures.scannedPdf(100, ten);
    SplitSettings settings = DEFAULTS.withOcr(OcrSettings.defaults().withPagesPerTask(4));
    Collected planned = Collected.planOnly("scan.pdf", pdf, settings);
    assertThat(planned.texts).isEmpty();
    assertThat(planned.tasks).extracting(DocumentTask::describe)
        .containsExactly("OCR of pages 1-4", "OCR of pages 5-8", "OCR of pages 9-10");
    assertThat(planned.tasks).allSatisfy(t -> assertThat(t.kind()).isEqualTo(DocumentTask.Kind.OCR));
    assertThat(planned.outcome.ocrPagesPlanned()).isEqualTo(10);
    assertThat(planned.outcome.ocrPagesTaken()).isZero();
    Collected run = Collected.runTask(planned.tasks.get(2), pdf, settings, ocr);
    assertThat(run.texts).extracting(PageText::getPage).containsExactly(9, 10);
    assertThat(run.outcome.ocrPagesTaken()).as("taken by the task, planned by the split").isEqualTo(2);
    assertThat(run.outcome.ocrPagesPlanned()).isZero();
    assertThat(run.texts).allSatisfy(t -> assertThat(t.getTextSource()).isEqualTo(TextSource.OCR));
  }

  @Test
  void withOcrOffNothingIsReadAndTheScanStaysAnImage() throws Exception {
    byte[] pdf = OcrFixtures.scannedPdf(100, PAGES[0]);
    Collected c = Collected.planOnly("scan.pdf", pdf, DEFAULTS.withOcr(OcrSettings.off()));
    assertThat(c.tasks).isEmpty();
    assertThat(c.texts).isEmpty();
    assertThat(c.ofType(ElementType.EMBEDDED_IMAGE)).hasSize(1);
    assertThat(c.ofType(ElementType.PAGE_IMAGE).get(0).image().pageReadByOcr()).isFalse();
  }

  @Test
  void ocrAllReadsPagesThatHaveATextLayerToo() throws Exception {
    byte[] pdf = TestPdfs.text(PAGES[0], PAGES[1]);
    Collected auto = Collected.planOnly("text.pdf", pdf, DEFAULTS);
    assertThat(auto.tasks).isEmpty();
    Collected all = Collected.split("text.pdf", pdf, DEFAULTS.withOcr(OcrSettings.defaults().withMode(OcrMode.ALL)),
        ocr);
    assertThat(all.texts.stream().map(t -> t.getPage() + ":" + t.getTextSource()).collect(Collectors.toList()))
        .containsExactlyInAnyOrder("1:TEXT_LAYER", "2:TEXT_LAYER", "1:OCR", "2:OCR");
  }

  @Test
  void anEmbeddedImageCarriesItsCaptionAndTheLinesAroundIt() throws Exception {
    Collected c = Collected.split("figure.pdf", OcrFixtures.figurePdf(), DEFAULTS, ocr);
    assertThat(c.ofType(ElementType.EMBEDDED_IMAGE)).singleElement().satisfies(e -> {
      assertThat(e.image().caption()).isEqualTo(OcrFixtures.FIGURE_CAPTION);
      assertThat(e.image().context()).isEqualTo(
          "Backups run every night at two. When one fails, the assistant shows a dialog with the reason; the next"
              + " attempt waits for the following night.\n"
              + "Check the share's permissions before you retry the backup by hand.");
      assertThat(e.getThumbnailId()).isEqualTo(ElementIds.pageImage(e.getDocumentId(), 1, 224));
    });
  }
}

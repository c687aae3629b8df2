package dev.pagebeam.transforms.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tesseract in the JVM on images with known text: pages, scans and screenshots. */
class OcrEngineTest {
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
  void readsAPageRenderedAtTheDefaultResolutionWithAtMostTwoPercentCharacterErrors() throws Exception {
    int dpi = OcrSettings.DEFAULT_PAGE_DPI;
    OcrResult r = ocr.read(OcrFixtures.prosePage(dpi), dpi);
    double cer = CharacterErrorRate.of(OcrFixtures.PROSE, r.text());
    assertThat(cer).as("CER of %s", r.text()).isLessThanOrEqualTo(0.02);
    assertThat(r.meanConfidence()).isGreaterThan(80);
    assertThat(r.words()).isBetween(200, 240);
    // paragraphs come out as paragraphs: the chunker can cut at them
    assertThat(r.text().split("\n\n")).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void readsANoisySlightlyRotatedScanWithAtMostTwoPercentCharacterErrors() throws Exception {
    for (int dpi : new int[] {200, OcrSettings.DEFAULT_PAGE_DPI}) {
      OcrResult r = ocr.read(OcrFixtures.scannedProsePage(dpi, 7), dpi);
      assertThat(CharacterErrorRate.of(OcrFixtures.PROSE, r.text())).as("%d dpi: %s", dpi, r.text())
          .isLessThanOrEqualTo(0.02);
    }
  }

  @Test
  void readsTheKeyErrorLineOfAnErrorDialogExactly() throws Exception {
    OcrResult r = ocr.read(OcrImages.enlarge(OcrFixtures.errorDialog(), OcrSettings.UPSCALE_FACTOR), 192);
    assertThat(List.of(r.text().split("\n"))).contains(OcrFixtures.DIALOG_ERROR);
  }

  @Test
  void readsTheKeyErrorLineOfATerminalExactly() throws Exception {
    OcrResult r = ocr.read(OcrImages.enlarge(OcrFixtures.terminal(), OcrSettings.UPSCALE_FACTOR), 192);
    assertThat(List.of(r.text().split("\n"))).contains(OcrFixtures.TERMINAL_ERROR);
  }

  @Test
  void findsNothingInAnImageWithoutText() throws Exception {
    BufferedImage blank = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = blank.createGraphics();
    g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.BLUE, 400, 300, java.awt.Color.ORANGE));
    g.fillRect(0, 0, 400, 300);
    g.dispose();
    OcrResult r = ocr.read(blank, 96);
    assertThat(r.isText()).as(r.text()).isFalse();
  }

  @Test
  void aPageThatRunsOverTheTimeLimitFailsAsATimeout() {
    assertThatThrownBy(() -> ocr.read(OcrFixtures.scannedProsePage(300, 3), 300, 1))
        .isInstanceOfSatisfying(OcrException.class, e -> assertThat(e.isTimeout()).isTrue())
        .hasMessageContaining("--ocrSecondsPerImage");
  }

  @Test
  void theEngineIsUsableAfterATimeout() throws Exception {
    // a full page cannot be read in 1 ms: the time-out must happen, then the next image is read normally
    assertThatThrownBy(() -> ocr.read(OcrFixtures.prosePage(200), 200, 1))
        .isInstanceOfSatisfying(OcrException.class, e -> assertThat(e.isTimeout()).isTrue());
    OcrResult r = ocr.read(OcrImages.enlarge(OcrFixtures.errorDialog(), 2), 192);
    assertThat(r.text()).contains(OcrFixtures.DIALOG_ERROR);
  }

  @Test
  void normalizeKeepsParagraphBreaksAndDropsTrailingSpace() {
    assertThat(OcrEngine.normalize("  a line  \nnext \n\n\n\npara\n \n")).isEqualTo("  a line\nnext\n\npara");
  }

  @Test
  void aClosedEngineRefusesToRead() throws Exception {
    OcrEngine engine = OcrEngine.open(OcrSettings.defaults());
    engine.close();
    engine.close();
    assertThatThrownBy(() -> engine.read(OcrFixtures.errorDialog(), 96)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void languagesOtherThanEnglishNeedADataFolderThatHoldsThem() {
    assertThatThrownBy(() -> OcrSettings.defaults().withLanguages("eng+deu", ""))
        .hasMessageContaining("--ocrDataDir").hasMessageContaining("deu.traineddata");
    assertThatThrownBy(() -> OcrSettings.defaults().withLanguages("eng", "/nonexistent/tessdata"))
        .hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> OcrMode.parse("sometimes")).hasMessageContaining("auto, all, off");
  }
}

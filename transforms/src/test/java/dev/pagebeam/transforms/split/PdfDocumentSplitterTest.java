package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.core.DeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The splitter on good, odd and hostile PDFs, without Beam. */
class PdfDocumentSplitterTest {
  private static final SplitSettings DEFAULTS = SplitSettings.defaults();

  @Test
  void rendersEveryPageStraightToTheConfiguredLongSide() throws Exception {
    Collected c = Collected.split("odd.pdf", TestPdfs.oddPageSizes(), DEFAULTS);
    List<PdfElement> thumbs = c.ofType(ElementType.PAGE_IMAGE);
    assertThat(thumbs).hasSize(3);
    int[][] expected = {{224, 79}, {49, 224}, {224, 224}};
    for (int i = 0; i < 3; i++) {
      PdfElement t = thumbs.get(i);
      assertThat(new int[] {t.getWidth(), t.getHeight()}).as("page %d", i + 1).containsExactly(expected[i]);
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(t.getImageBytes()));
      assertThat(png.getWidth()).isEqualTo(t.getWidth());
      assertThat(png.getHeight()).isEqualTo(t.getHeight());
    }
    Collected small = Collected.split("odd.pdf", TestPdfs.oddPageSizes(), DEFAULTS.withPageImages(true, 64));
    assertThat(small.ofType(ElementType.PAGE_IMAGE)).allSatisfy(
        t -> assertThat(Math.max(t.getWidth(), t.getHeight())).isEqualTo(64));
  }

  @Test
  void extractsDrawnImagesAboveTheMinimumSizeOncePerDocument() throws Exception {
    Collected c = Collected.split("images.pdf", TestPdfs.images(), DEFAULTS);
    List<PdfElement> images = c.ofType(ElementType.EMBEDDED_IMAGE);
    // 400x300 (drawn three times, as two XObjects with equal pixels), 200x100, 300x300 (drawn twice);
    // the 32x32 icon is below --minImageSize.
    assertThat(images).extracting(e -> e.getWidth() + "x" + e.getHeight() + "@" + e.getPage())
        .containsExactly("400x300@1", "200x100@1", "300x300@3");
    assertThat(images).extracting(PdfElement::getId).doesNotHaveDuplicates();
    for (PdfElement e : images) {
      BufferedImage png = ImageIO.read(new ByteArrayInputStream(e.getImageBytes()));
      assertThat(png.getWidth()).isEqualTo(e.getWidth());
      assertThat(e.getImageFormat()).isEqualTo("png");
      assertThat(e.getImageName()).startsWith("Im");
    }
    assertThat(c.deadLetters).isEmpty();
    assertThat(c.ofType(ElementType.PAGE_IMAGE)).hasSize(3);
    // page 3 has no text: its thumbnail says so
    assertThat(c.ofType(ElementType.PAGE_IMAGE).get(2).pageHasText()).isFalse();
    assertThat(c.outcome.pagesWithoutText()).isEqualTo(1);
  }

  @Test
  void minimumSizeAndDownscalingAreConfigurable() throws Exception {
    Collected c = Collected.split("images.pdf", TestPdfs.images(), DEFAULTS.withEmbeddedImages(true, 16, 100));
    assertThat(c.ofType(ElementType.EMBEDDED_IMAGE)).extracting(e -> e.getWidth() + "x" + e.getHeight())
        .containsExactly("100x75", "32x32", "100x50", "100x100");
    Collected none = Collected.split("images.pdf", TestPdfs.images(), DEFAULTS.withEmbeddedImages(false, 64, 1024));
    assertThat(none.ofType(ElementType.EMBEDDED_IMAGE)).isEmpty();
  }

  @Test
  void notAPdfIsOneDeadLetter() {
    Collected c = Collected.split("notes.txt", "meeting notes\nnot a pdf at all\n".getBytes(StandardCharsets.UTF_8),
        DEFAULTS);
    assertWholeFileFailure(c, "notes.txt", ErrorKind.NOT_A_PDF, "not a PDF");
  }

  @Test
  void zeroByteFileIsOneDeadLetter() {
    Collected c = Collected.split("empty.pdf", new byte[0], DEFAULTS);
    assertWholeFileFailure(c, "empty.pdf", ErrorKind.EMPTY_FILE, "0 bytes");
  }

  @Test
  void encryptedFileWithoutPasswordIsOneDeadLetter() throws Exception {
    byte[] pdf = TestPdfs.encrypted(TestPdfs.text("Confidential quarterly figures."));
    Collected c = Collected.split("secret.pdf", pdf, DEFAULTS);
    assertWholeFileFailure(c, "secret.pdf", ErrorKind.ENCRYPTED, "password");
  }

  @Test
  void fileTruncatedToItsHeaderIsOneDeadLetter() throws Exception {
    byte[] pdf = TestPdfs.text("Some text that will be lost.");
    Collected c = Collected.split("stub.pdf", Arrays.copyOf(pdf, 16), DEFAULTS);
    assertThat(c.outcome.failed()).isTrue();
    assertThat(c.deadLetters).hasSize(1);
    assertThat(c.deadLetters.get(0).getErrorKind()).isIn(ErrorKind.DAMAGED, ErrorKind.NO_PAGES);
    assertThat(c.deadLetters.get(0).getFile()).isEqualTo("stub.pdf");
  }

  @Test
  void truncatedFileKeepsWhatPdfboxCanRecoverAndNeverFailsSilently() throws Exception {
    byte[] pdf = TestPdfs.text(page(1), page(2), page(3), page(4));
    for (double keep : new double[] {0.3, 0.6, 0.9}) {
      byte[] cut = Arrays.copyOf(pdf, (int) (pdf.length * keep));
      Collected c = Collected.split("cut.pdf", cut, DEFAULTS);
      // Either the lenient parser recovered pages (processed as usual), or the file is one dead letter.
      if (c.outcome.failed()) {
        assertThat(c.deadLetters).anySatisfy(d -> {
          assertThat(d.isWholeFile()).isTrue();
          assertThat(d.getFile()).isEqualTo("cut.pdf");
        });
      } else {
        assertThat(c.outcome.pages()).isGreaterThan(0);
        assertThat(c.ofType(ElementType.PAGE_IMAGE)).hasSize(c.outcome.pages());
      }
    }
    // Cut in the middle of the last page's stream the document still opens and the first pages survive.
    Collected c = Collected.split("cut.pdf", Arrays.copyOf(pdf, (int) (pdf.length * 0.9)), DEFAULTS);
    assertThat(c.texts).extracting(PageText::getText).anySatisfy(t -> assertThat(t).contains("Page 1 says"));
  }

  @Test
  void brokenCrossReferenceTableIsRepairedAndProcessed() throws Exception {
    byte[] pdf = TestPdfs.brokenXref(TestPdfs.text(page(1), page(2)));
    Collected c = Collected.split("badxref.pdf", pdf, DEFAULTS);
    assertThat(c.outcome.failed()).isFalse();
    assertThat(c.outcome.pages()).isEqualTo(2);
    assertThat(c.texts).extracting(PageText::getText).allSatisfy(t -> assertThat(t).contains("says"));
  }

  @Test
  void garbageAfterTheHeaderIsOneDeadLetter() {
    byte[] junk = new byte[4096];
    new java.util.Random(3).nextBytes(junk);
    byte[] pdf = ("%PDF-1.7\n" + new String(junk, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
    Collected c = Collected.split("noise.pdf", pdf, DEFAULTS);
    assertThat(c.outcome.failed()).isTrue();
    assertThat(c.deadLetters).singleElement().satisfies(d -> {
      assertThat(d.getErrorKind()).isIn(ErrorKind.DAMAGED, ErrorKind.NO_PAGES);
      assertThat(d.getMessage()).isNotBlank();
    });
  }

  @Test
  void oversizedImageIsSkippedWithADeadLetterAndTheRestOfTheDocumentSurvives() throws Exception {
    // 20000 x 20000 gray pixels: decoding to RGB would need 1.6 GB, more than this test JVM's heap.
    Collected c = Collected.split("huge.pdf", TestPdfs.hugeImage(20_000), DEFAULTS);
    assertThat(c.outcome.failed()).isFalse();
    assertThat(c.outcome.pages()).isEqualTo(2);
    assertThat(c.ofType(ElementType.PAGE_IMAGE)).hasSize(2);
    assertThat(c.ofType(ElementType.EMBEDDED_IMAGE)).singleElement()
        .satisfies(e -> assertThat(e.getPage()).isEqualTo(2));
    assertThat(c.texts).extracting(PageText::getPage).containsExactly(1, 2);
    assertThat(c.deadLetters).hasSize(2).allSatisfy(d -> {
      assertThat(d.getErrorKind()).isEqualTo(ErrorKind.TOO_LARGE);
      assertThat(d.getPage()).isEqualTo(1);
      assertThat(d.getElement()).contains("20000x20000");
      assertThat(d.getFile()).isEqualTo("huge.pdf");
    });
    assertThat(c.deadLetters).extracting(DeadLetter::getStage)
        .containsExactlyInAnyOrder(DeadLetter.STAGE_RENDER, DeadLetter.STAGE_IMAGES);
  }

  @Test
  void documentOverItsTimeLimitEndsWithATimeoutDeadLetterForThePagesNotDone() throws Exception {
    byte[] pdf = TestPdfs.slowPage(400_000);
    Collected c = Collected.split("slow.pdf", pdf, DEFAULTS.withLimits(64, 1));
    assertThat(c.deadLetters).singleElement().satisfies(d -> {
      assertThat(d.getErrorKind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(d.getMessage()).contains("--fileTimeoutSeconds");
      assertThat(d.getElement()).matches("pages [1-3]-3");
      assertThat(d.getFile()).isEqualTo("slow.pdf");
    });
    assertThat(c.outcome.pages()).isLessThan(3);
  }

  @Test
  void longDocumentsSplitIntoTasksGiveExactlyTheElementsOfAWholeSplit() throws Exception {
    String[] pages = new String[9];
    for (int i = 0; i < pages.length; i++) {
      pages[i] = page(i + 1);
    }
    byte[] text = TestPdfs.text(pages);
    Collected whole = Collected.split("long.pdf", text, DEFAULTS);
    Collected tasks = Collected.splitWithTasks("long.pdf", text, DEFAULTS.withPagesPerTask(4));
    assertThat(tasks.tasks).extracting(DocumentTask::describe)
        .containsExactly("pages 1-4", "pages 5-8", "pages 9-9", "images of pages 1-9");
    assertThat(tasks.images).extracting(PdfElement::getId)
        .containsExactlyInAnyOrderElementsOf(whole.images.stream().map(PdfElement::getId).collect(Collectors.toList()));
    assertThat(tasks.texts).containsExactlyInAnyOrderElementsOf(whole.texts);

    // images are deduplicated across the whole document, not per range
    Collected imageTasks = Collected.splitWithTasks("images.pdf", TestPdfs.images(), DEFAULTS.withPagesPerTask(1));
    assertThat(imageTasks.ofType(ElementType.EMBEDDED_IMAGE)).hasSize(3);
    assertThat(imageTasks.ofType(ElementType.PAGE_IMAGE)).hasSize(3);
  }

  @Test
  void aTaskWhoseFileChangedIsRefusedWithADeadLetter() throws Exception {
    byte[] pdf = TestPdfs.text(page(1), page(2), page(3));
    Collected planned = Collected.planOnly("moving.pdf", pdf, DEFAULTS.withPagesPerTask(2));
    DocumentTask first = planned.tasks.get(0);
    Collected ran = Collected.runTask(first, TestPdfs.text(page(1), page(2), "edited"), DEFAULTS);
    assertThat(ran.images).isEmpty();
    assertThat(ran.deadLetters).singleElement().satisfies(d -> {
      assertThat(d.getErrorKind()).isEqualTo(ErrorKind.IO_ERROR);
      assertThat(d.getMessage()).contains("changed");
      assertThat(d.getElement()).isEqualTo("pages 1-2");
    });
  }

  @Test
  void filesAboveTheMemoryLimitAreSpooledToDiskAndGiveTheSameElements() throws Exception {
    byte[] pdf = TestPdfs.images();
    // A valid PDF padded with blank lines to 3 MB: above a 1 MB limit it is spooled to a temp file.
    byte[] big = Arrays.copyOf(pdf, 3 * 1024 * 1024);
    Arrays.fill(big, pdf.length, big.length, (byte) '\n');
    Collected inMemory = Collected.split("padded.pdf", big, DEFAULTS);
    Collected spooled = Collected.split("padded.pdf", big, DEFAULTS.withLimits(1, 600));
    assertThat(spooled.outcome.failed()).isFalse();
    assertThat(spooled.ofType(ElementType.EMBEDDED_IMAGE)).hasSize(3);
    assertThat(spooled.images).extracting(PdfElement::getId)
        .containsExactlyElementsOf(inMemory.images.stream().map(PdfElement::getId).collect(Collectors.toList()));
  }

  static String page(int n) {
    return "Page " + n + " says hello. " + "This sentence pads the page with ordinary words. ".repeat(20);
  }

  private static void assertWholeFileFailure(Collected c, String file, ErrorKind kind, String reason) {
    assertThat(c.outcome.failed()).isTrue();
    assertThat(c.texts).isEmpty();
    assertThat(c.images).isEmpty();
    assertThat(c.deadLetters).singleElement().satisfies(d -> {
      assertThat(d.getFile()).isEqualTo(file);
      assertThat(d.getErrorKind()).isEqualTo(kind);
      assertThat(d.getStage()).isEqualTo(DeadLetter.STAGE_OPEN);
      assertThat(d.getMessage()).contains(reason);
      assertThat(d.isWholeFile()).isTrue();
    });
  }
}

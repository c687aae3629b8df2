package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.transforms.ocr.OcrFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images searchable with the default text model, end to end through ingest and query: screenshots by
 * the text read in them, scanned pages by their OCR text. The same runs with --ocr=off show what OCR
 * adds: text alone is at chance on the screenshots and finds nothing of the scans.
 */
class CrossModalRetrievalTest {
  /** The harbour scan: three pages, and a paraphrased question for each (no shared 4-word run). */
  static final String[] SCAN_QUESTIONS = {
    "How much is the daily charge for berthing a twelve metre yacht in July?",
    "Where and at what hours can I buy diesel for my boat?",
    "Does the island boat still sail when the gale is very strong?"
  };

  @TempDir static Path dir;
  static Path input;
  static Path withOcr;
  static Path withoutOcr;
  static IngestRun ocrRun;
  static IngestRun plainRun;

  @BeforeAll
  static void ingestTwice() throws Exception {
    input = Files.createDirectories(dir.resolve("in"));
    Files.write(input.resolve("screenshots.pdf"), ScreenshotCorpus.pdf());
    Files.write(input.resolve("harbour-scan.pdf"), OcrFixtures.scannedPdf(200, OcrFixtures.PROSE.split("\n\n")));
    withOcr = dir.resolve("ocr");
    withoutOcr = dir.resolve("plain");
    ocrRun = IngestRun.ingest(withOcr, "--input=" + input);
    plainRun = IngestRun.ingest(withoutOcr, "--input=" + input, "--ocr=off");
  }

  /** One line of query output: rank, type, file name and page. */
  static final class Hit {
    final String type;
    final String file;
    final int page;

    Hit(String type, String file, int page) {
      this.type = type;
      this.file = file;
      this.page = page;
    }
  }

  private static final Pattern HIT = Pattern.compile("^\\s*\\d+\\. \\S+\\s+(\\S+)\\s+(\\S+)\\s+page (\\d+)\\s.*");

  static List<Hit> query(Path output, String question) throws Exception {
    // dense: these tests are of what the embedding finds through OCR text and captions (the BM25
    // half of the default hybrid mode is HybridSearchTest's)
    IngestRun q = IngestRun.command(output, "query", "--output=" + output, "--text=" + question, "--k=3",
        "--mode=dense");
    assertThat(q.exitCode).as(q.stderr).isZero();
    List<Hit> hits = new ArrayList<>();
    for (String line : q.stdout.split("\n")) {
      Matcher m = HIT.matcher(line);
      if (m.matches()) {
        hits.add(new Hit(m.group(1), Path.of(m.group(2)).getFileName().toString(), Integer.parseInt(m.group(3))));
      }
    }
    return hits;
  }

  @Test
  void bothRunsReadEveryFileAndOnlyTheOcrRunReadsImages() {
    assertThat(ocrRun.exitCode).as(ocrRun.stderr).isZero();
    assertThat(plainRun.exitCode).as(plainRun.stderr).isZero();
    assertThat(ocrRun.count("files_ok")).isEqualTo(2);
    assertThat(ocrRun.count("ocr_pages")).isEqualTo(3);
    assertThat(ocrRun.count("ocr_images")).isEqualTo(ScreenshotCorpus.SHOTS.size());
    assertThat(ocrRun.count("images_without_text")).isZero();
    assertThat(ocrRun.count("images_without_encoder")).isZero();
    assertThat(plainRun.count("ocr_pages")).isZero();
    assertThat(plainRun.count("ocr_images")).isZero();
    // without OCR nothing stands for the three scans (their thumbnails, and the scans as images) and
    // the screenshots have no caption
    assertThat(plainRun.count("images_without_encoder")).isEqualTo(3 + 3 + ScreenshotCorpus.SHOTS.size());
  }

  @Test
  void aQuestionAboutAScreenshotFindsThatPagesImageInTheTopThree() throws Exception {
    int found = 0;
    int foundWithoutOcr = 0;
    List<String> misses = new ArrayList<>();
    for (int i = 0; i < ScreenshotCorpus.SHOTS.size(); i++) {
      String question = ScreenshotCorpus.SHOTS.get(i).question;
      int page = i + 1;
      if (query(withOcr, question).stream().anyMatch(h -> h.type.equals("embedded_image")
          && h.file.equals("screenshots.pdf") && h.page == page)) {
        found++;
      } else {
        misses.add(page + ": " + question);
      }
      // text alone: the page (any record of it) among the top three
      if (query(withoutOcr, question).stream().anyMatch(h -> h.file.equals("screenshots.pdf") && h.page == page)) {
        foundWithoutOcr++;
      }
    }
    int n = ScreenshotCorpus.SHOTS.size();
    System.out.printf("screenshot questions: image record in the top 3 for %d of %d with OCR; page in the top 3"
        + " for %d of %d with --ocr=off%n", found, n, foundWithoutOcr, n);
    assertThat(found).as("screenshot pages found, misses: %s", misses).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * n));
    // identical text on every page: at best chance (3 of 12)
    assertThat(foundWithoutOcr).isLessThanOrEqualTo(4);
  }

  @Test
  void aParaphrasedQuestionFindsItsScannedPage() throws Exception {
    for (int i = 0; i < SCAN_QUESTIONS.length; i++) {
      int page = i + 1;
      List<Hit> hits = query(withOcr, SCAN_QUESTIONS[i]);
      assertThat(hits).as(SCAN_QUESTIONS[i]).isNotEmpty();
      assertThat(hits.get(0).file + " page " + hits.get(0).page).as(SCAN_QUESTIONS[i])
          .isEqualTo("harbour-scan.pdf page " + page);
      assertThat(query(withoutOcr, SCAN_QUESTIONS[i])).as("without OCR the scan holds nothing")
          .noneMatch(h -> h.file.equals("harbour-scan.pdf"));
    }
  }
}

package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.pipeline.serve.SearchServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search page of pagebeam serve in a real browser (Debian's headless Chromium): a question typed
 * into the box brings the sample screenshot's card first, with its image loaded; a click on it opens
 * the full-size image. The page as the browser drew it is saved to tests/target/search-page.png.
 */
class SearchPageTest {
  /** A question about what the ticket's screenshot shows (its OCR text), not the ticket's prose. */
  static final String SCREENSHOT_QUESTION = "progress window writing sheet 12 of 12 December";

  @TempDir Path out;

  @Test
  void aTypedQuestionShowsTheScreenshotsCardFirstWithItsImage() throws Exception {
    IngestRun ingest = IngestRun.ingest(out.resolve("run"));
    assertThat(ingest.exitCode).as(ingest.stderr).isZero();
    try (SearchServer server = ServeTest.serve("--output=" + out.resolve("run"));
         HeadlessChromium browser = HeadlessChromium.start(out.resolve("profile"))) {
      browser.navigate(ServeTest.base(server) + "/");
      browser.evaluate("document.getElementById('q').focus()");
      browser.type(SCREENSHOT_QUESTION);
      browser.pressEnter();

      // wait for the first card's picture to be drawn: the image came through fetch and a blob URL
      JsonNode first = browser.waitFor("(() => { const c = document.querySelector('#hits .card');"
          + " const img = c && c.querySelector('img');"
          + " if (!img || !img.complete || img.naturalWidth === 0) return null;"
          + " return {type: c.dataset.type, source: c.dataset.source, page: Number(c.dataset.page),"
          + " width: img.naturalWidth, cards: document.querySelectorAll('#hits .card').length,"
          + " status: document.getElementById('status').textContent, url: location.search}; })()",
          Duration.ofSeconds(60));
      System.out.println("search page, first card: " + first);
      assertThat(first.get("type").asText()).isEqualTo("embedded_image");
      assertThat(first.get("source").asText()).isEqualTo("ticket-4821-export-hangs.pdf");
      assertThat(first.get("page").asInt()).isEqualTo(1);
      assertThat(first.get("width").asInt()).isGreaterThan(0);
      assertThat(first.get("cards").asInt()).isGreaterThan(1);
      assertThat(first.get("status").asText()).contains("results");
      assertThat(first.get("url").asText()).startsWith("?q=progress");

      Path shot = Path.of("target", "search-page.png");
      Files.write(shot, browser.screenshot());
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(shot)));
      assertThat(image.getWidth()).isEqualTo(1280);
      System.out.println("screenshot of the search page: " + shot.toAbsolutePath());

      // a click on the picture opens it full size
      browser.evaluate("document.querySelector('#hits .card .pic').click()");
      JsonNode viewer = browser.waitFor("(() => { const v = document.getElementById('viewer');"
          + " const img = v.querySelector('img');"
          + " return v.style.display === 'flex' && img.complete && img.naturalWidth > 0 ? img.naturalWidth : null;"
          + " })()", Duration.ofSeconds(10));
      assertThat(viewer.asInt()).isEqualTo(first.get("width").asInt());
    }
  }
}

package dev.pagebeam.transforms.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.elements.EncodedImage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Test;

class DecodeBudgetTest {

  @Test
  void aDecodeThatDoesNotFitWaitsUntilTheHolderLetsGo() throws Exception {
    DecodeBudget budget = new DecodeBudget(100);
    DecodeBudget.Lease first = budget.acquire(70, Deadline.inSeconds(30));
    CountDownLatch acquired = new CountDownLatch(1);
    AtomicReference<DecodeBudget.Lease> second = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        second.set(budget.acquire(70, Deadline.inSeconds(30)));
        acquired.countDown();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    waiter.start();
    assertFalse(acquired.await(400, TimeUnit.MILLISECONDS), "70 + 70 bytes in a budget of 100 must wait");
    first.close();
    assertTrue(acquired.await(5, TimeUnit.SECONDS), "the second decode goes on once the first has ended");
    assertEquals(70, budget.inUse());
    second.get().close();
    second.get().close(); // a lease is returned once
    assertEquals(0, budget.inUse());
    waiter.join();
  }

  @Test
  void decodesThatFitTogetherDoNotWait() throws Exception {
    DecodeBudget budget = new DecodeBudget(100);
    try (DecodeBudget.Lease a = budget.acquire(40, Deadline.inSeconds(1));
         DecodeBudget.Lease b = budget.acquire(60, Deadline.inSeconds(1))) {
      assertEquals(100, budget.inUse());
    }
    assertEquals(0, budget.inUse());
  }

  @Test
  void aDecodeLargerThanTheWholeBudgetRunsAlone() throws Exception {
    DecodeBudget budget = new DecodeBudget(100);
    try (AutoCloseable big = heldElsewhere(budget, 500)) {
      assertEquals(500, budget.inUse());
      assertThrows(Deadline.Exceeded.class, () -> budget.acquire(1, Deadline.inSeconds(1)),
          "nothing else decodes beside it");
    }
  }

  @Test
  void aThreadThatHoldsALeaseDoesNotWaitForItself() throws Exception {
    DecodeBudget budget = new DecodeBudget(100);
    try (DecodeBudget.Lease outer = budget.acquire(80, Deadline.inSeconds(1));
         DecodeBudget.Lease nested = budget.acquire(80, Deadline.inSeconds(1))) {
      assertEquals(160, budget.inUse(), "an image drawn within another's drawing");
    }
    assertEquals(0, budget.inUse());
    // the pass is the holder's only: with its leases returned, this thread waits like any other
    try (AutoCloseable theirs = heldElsewhere(budget, 100)) {
      assertThrows(Deadline.Exceeded.class, () -> budget.acquire(10, Deadline.inSeconds(1)));
    }
    assertEquals(0, budget.inUse());
  }

  @Test
  void waitingEndsAtTheFileTasksDeadline() throws Exception {
    DecodeBudget budget = new DecodeBudget(100);
    try (AutoCloseable held = heldElsewhere(budget, 100)) {
      long start = System.nanoTime();
      assertThrows(Deadline.Exceeded.class, () -> budget.acquire(10, Deadline.inSeconds(1)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 900 && millis < 10_000, "waited " + millis + " ms for a 1 s deadline");
    }
    assertEquals(0, budget.inUse());
  }

  @Test
  void theEstimateGrowsWithPixelsAndSamplesAndSmallImagesAreNotCounted() throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PDImageXObject rgb = LosslessFactory.createFromImage(doc, TestPdfs.picture(1200, 1000, 1));
      // 8-bit RGB: 24 bits a pixel / 2 + 8 = 20 bytes a pixel
      assertEquals(1200L * 1000 * 20, DecodeBudget.bytesToDecode(rgb));
      PDImageXObject small = LosslessFactory.createFromImage(doc, TestPdfs.picture(1000, 1000, 1));
      assertEquals(0, DecodeBudget.bytesToDecode(small), "under a megapixel");
    }
  }

  /** The renderer and the image extractor decode within the JVM's budget: held whole, they wait. */
  @Test
  void renderingsAndExtractionWaitForTheJvmsBudget() throws Exception {
    byte[] pdf = TestPdfs.hugeImage(1200); // 1.44 megapixels of 8-bit gray: counted
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      try (AutoCloseable all = heldElsewhere(DecodeBudget.JVM, Long.MAX_VALUE / 4)) {
        // each with a fresh 1 s limit, which only a wait can use up on this small page
        PageRenderer renderer = new PageRenderer(doc, 224, SplitSettings.DEFAULT_MAX_IMAGE_PIXELS,
            Deadline.inSeconds(1));
        assertThrows(Deadline.Exceeded.class, () -> renderer.renderGray(doc.getPage(0), 0, 72, Long.MAX_VALUE));
        EmbeddedImageExtractor extractor = new EmbeddedImageExtractor(doc, SplitSettings.defaults(),
            Deadline.inSeconds(1));
        assertThrows(Deadline.Exceeded.class, () -> extractor.extract(doc.getPage(0), 1, new Ignore()));
      }
      Deadline later = Deadline.inSeconds(30);
      assertNotNull(new PageRenderer(doc, 224, SplitSettings.DEFAULT_MAX_IMAGE_PIXELS, later)
          .renderGray(doc.getPage(0), 0, 72, Long.MAX_VALUE).image);
      // with the budget free the image is decoded (and left out as the page itself: it covers it)
      new EmbeddedImageExtractor(doc, SplitSettings.defaults(), later).extract(doc.getPage(0), 1, new Ignore());
      assertEquals(0, DecodeBudget.JVM.inUse());
    }
  }

  /** Holds {@code bytes} of {@code budget} on a thread of its own until closed. */
  private static AutoCloseable heldElsewhere(DecodeBudget budget, long bytes) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      try (DecodeBudget.Lease lease = budget.acquire(bytes, Deadline.inSeconds(60))) {
        held.countDown();
        done.await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    holder.start();
    assertTrue(held.await(5, TimeUnit.SECONDS), "the other thread holds its lease");
    return () -> {
      done.countDown();
      holder.join();
    };
  }

  private static final class Ignore implements EmbeddedImageExtractor.Sink {
    @Override
    public void image(int page, String streamHash, String name, EncodedImage image, ImageContext context) {}

    @Override
    public void skipped(int page, String element, ErrorKind kind, String message) {
      throw new AssertionError("skipped " + element + ": " + message);
    }
  }
}

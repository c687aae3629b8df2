package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.apache.pdfbox.pdmodel.graphics.color.PDColorSpace;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;

/**
 * The heap that decoding images may hold at once in one JVM, shared by every thread and DoFn
 * instance in it (the DirectRunner's worker threads, a TaskManager's slots).
 *
 * <p>PDFBox decodes an image whole before it scales it: the decoded stream, the raster built from
 * it and the RGB image drawn from that, about 20 bytes a pixel for an 8-bit RGB JPEG (measured:
 * the live heap rose by about 250 MB for each page with a 4032 x 3024 photograph being rendered for
 * OCR). Worker threads that each meet such a page at once take that many times as much, which is
 * where a split-only run's heap peaked. A decode here waits until its estimate fits in the budget, a
 * quarter of the heap; one larger than the whole budget waits until it is the only one. Images
 * under a megapixel are not counted: what they hold at once is bounded by the thread count.
 *
 * <p>Waiting is bounded by the file task's {@link Deadline}. A thread that already holds a lease
 * never waits (an image drawn inside another's drawing, as a tiling pattern in a stencil mask's
 * fill, would otherwise wait for itself). A lease is returned when the decode ends, also when it
 * fails, on the thread that took it; an abandoned task that never returns from a decoder keeps its
 * lease, as it keeps the memory.
 */
final class DecodeBudget {
  /** This JVM's budget. Static on purpose: the heap it guards is the JVM's, not a DoFn instance's. */
  static final DecodeBudget JVM = new DecodeBudget(Runtime.getRuntime().maxMemory() / 4);

  /** Images below this many pixels are decoded without a lease. */
  static final long UNCOUNTED_PIXELS = 1L << 20;

  private static final long WAIT_SLICE_MILLIS = 100;
  private static final Lease FREE = () -> {};

  private final long capacity;
  /** Bytes held; every lease holds at least one, so 0 means nobody decodes. */
  private long inUse;
  /** Leases held by the current thread. */
  private final ThreadLocal<int[]> heldHere = ThreadLocal.withInitial(() -> new int[1]);

  DecodeBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("a decode budget needs a positive capacity, not " + capacity);
    }
    this.capacity = capacity;
  }

  /** A held share of the budget; {@link #close} returns it. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Heap that decoding {@code image} is expected to take at its peak: four times its raw samples
   * (stream, raster, their copies) plus eight bytes a pixel (the RGB image and the drawing), or 0
   * for an image too small to count. A colour space that cannot be read counts as RGB.
   */
  static long bytesToDecode(PDImage image) {
    long pixels = (long) image.getWidth() * image.getHeight();
    if (pixels < UNCOUNTED_PIXELS) {
      return 0;
    }
    int components = 3;
    try {
      PDColorSpace space = image.getColorSpace();
      if (space != null) {
        components = Math.max(1, space.getNumberOfComponents());
      }
    } catch (IOException | RuntimeException e) {
      // counted as RGB; the decode itself reports what is wrong with the image
    }
    long bitsPerPixel = (long) components * Math.max(1, image.getBitsPerComponent());
    return pixels * (bitsPerPixel / 2 + 8);
  }

  /**
   * Waits until {@code bytes} fit (or nothing else is held), checking {@code deadline} meanwhile,
   * and holds them until the lease is closed.
   */
  Lease acquire(long bytes, Deadline deadline) throws InterruptedIOException {
    if (bytes <= 0) {
      return FREE;
    }
    int[] mine = heldHere.get();
    synchronized (this) {
      while (mine[0] == 0 && inUse > 0 && inUse + bytes > capacity) {
        deadline.check();
        try {
          wait(WAIT_SLICE_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for memory to decode an image");
        }
      }
      inUse += bytes;
    }
    mine[0]++;
    return new Held(bytes, mine);
  }

  /** Bytes held now (for tests and diagnostics). */
  synchronized long inUse() {
    return inUse;
  }

  private synchronized void release(long bytes) {
    inUse -= bytes;
    notifyAll();
  }

  private final class Held implements Lease {
    private final long bytes;
    private final int[] holderCount;
    private boolean closed;

    Held(long bytes, int[] holderCount) {
      this.bytes = bytes;
      this.holderCount = holderCount;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        holderCount[0]--;
        release(bytes);
      }
    }
  }
}

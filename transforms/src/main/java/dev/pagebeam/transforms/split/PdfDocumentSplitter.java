package dev.pagebeam.transforms.split;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Splits one PDF into page texts, page thumbnails and embedded images, with no Beam in sight (the
 * DoFn and the benchmark's bare loop both call it).
 *
 * <p>Nothing here throws for bad input: a file that cannot be opened becomes one whole-file dead
 * letter, and a page or image that fails becomes an element dead letter while the rest of the
 * document goes on.
 */
public final class PdfDocumentSplitter {
  private final SplitSettings settings;

  public PdfDocumentSplitter(SplitSettings settings) {
    this.settings = settings;
  }

  /**
   * Reads the whole channel and splits the document.
   *
   * @param source the path reported in elements and dead letters
   * @param sizeHint the file size if known, else -1
   */
  public DocumentOutcome split(String source, ReadableByteChannel channel, long sizeHint, SplitOutput out) {
    DocumentOutcome outcome = new DocumentOutcome();
    long memoryLimit = settings.memoryPerDocumentMb() * 1024L * 1024L;
    try (DocumentBytes bytes = DocumentBytes.read(channel, sizeHint, memoryLimit)) {
      split(source, bytes, out, outcome);
    } catch (IOException e) {
      failFile(out, outcome, DeadLetter.forFile(source, null, DeadLetter.STAGE_OPEN, ErrorKind.IO_ERROR,
          "could not read the file: " + e));
    }
    return outcome;
  }

  private void split(String source, DocumentBytes bytes, SplitOutput out, DocumentOutcome outcome) {
    String documentId = bytes.sha256();
    if (bytes.size() == 0) {
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.EMPTY_FILE,
          "the file is empty (0 bytes)"));
      return;
    }
    if (!bytes.hasPdfHeader()) {
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.NOT_A_PDF,
          "no %PDF- header in the first 1024 bytes: this is not a PDF file"));
      return;
    }
    Deadline deadline = Deadline.inSeconds(settings.secondsPerDocument());
    StreamCacheCreateFunction cache =
        MemoryUsageSetting.setupMixed(settings.memoryPerDocumentMb() * 1024L * 1024L).streamCache;
    PDDocument document;
    try {
      document = bytes.inMemory() != null
          ? Loader.loadPDF(bytes.inMemory(), "", null, null, cache)
          : Loader.loadPDF(bytes.spoolFile(), "", null, null, cache);
    } catch (InvalidPasswordException e) {
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.ENCRYPTED,
          "the PDF is encrypted with a user password and cannot be opened without it"));
      return;
    } catch (IOException | RuntimeException e) {
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.DAMAGED,
          "PDFBox could not parse the file, even leniently: " + describe(e)));
      return;
    } catch (OutOfMemoryError e) {
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.OUT_OF_MEMORY,
          "opening the file ran out of memory: " + e.getMessage()));
      return;
    }
    try (PDDocument doc = document) {
      splitPages(source, documentId, doc, deadline, out, outcome);
    } catch (IOException e) {
      // close() failed: the elements were already emitted
      out.deadLetter(DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.IO_ERROR,
          "closing the document failed: " + describe(e)));
      outcome.deadLetters++;
    }
  }

  private void splitPages(
      String source, String documentId, PDDocument doc, Deadline deadline, SplitOutput out, DocumentOutcome outcome) {
    int pageCount;
    try {
      pageCount = doc.getNumberOfPages();
    } catch (RuntimeException e) {
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.DAMAGED,
          "the page tree is unreadable: " + describe(e)));
      return;
    }
    if (pageCount == 0) {
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.NO_PAGES,
          "the document has no pages (its page tree is empty or lost)"));
      return;
    }
    int currentPage = 0;
    try {
      String[] texts = new String[pageCount];
      try {
        new PageTextCollector(deadline).collect(doc, texts);
      } catch (IOException | RuntimeException e) {
        if (e instanceof Deadline.Exceeded) {
          throw (Deadline.Exceeded) e;
        }
        int done = 0;
        while (done < pageCount && texts[done] != null) {
          done++;
        }
        out.deadLetter(DeadLetter.forElement(source, documentId, DeadLetter.STAGE_TEXT, ErrorKind.TEXT_FAILED,
            "text extraction stopped: " + describe(e), done + 1, "text of pages " + (done + 1) + "-" + pageCount));
        outcome.deadLetters++;
      }
      PageThumbnailRenderer renderer = settings.pageImages()
          ? new PageThumbnailRenderer(doc, settings.thumbnailSide(), settings.maxImagePixels(), deadline) : null;
      EmbeddedImageExtractor images = settings.embeddedImages() ? new EmbeddedImageExtractor(settings, deadline) : null;
      for (int i = 0; i < pageCount; i++) {
        deadline.check();
        currentPage = i + 1;
        PDPage page = doc.getPage(i);
        String text = texts[i];
        boolean hasText = text != null && !text.isBlank();
        outcome.pages++;
        if (hasText) {
          out.pageText(new PageText(documentId, source, currentPage, pageCount, text));
        } else {
          outcome.pagesWithoutText++;
        }
        if (renderer != null) {
          renderThumbnail(source, documentId, renderer, page, currentPage, pageCount, hasText, out, outcome);
        }
        if (images != null) {
          extractImages(source, documentId, images, page, currentPage, pageCount, hasText, out, outcome);
        }
      }
    } catch (Deadline.Exceeded e) {
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.TIMEOUT,
          e.getMessage() + "; stopped at page " + Math.max(currentPage, 1) + " of " + pageCount
              + " (elements of earlier pages were kept)"));
    } catch (RuntimeException e) {
      // doc.getPage(i) on a broken page tree
      failFile(out, outcome, DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.DAMAGED,
          "page " + Math.max(currentPage, 1) + " of " + pageCount + " is unreadable: " + describe(e)));
    }
  }

  private void renderThumbnail(String source, String documentId, PageThumbnailRenderer renderer, PDPage page,
      int pageNumber, int pageCount, boolean hasText, SplitOutput out, DocumentOutcome outcome) {
    String element = "page " + pageNumber + " thumbnail";
    try {
      PageThumbnailRenderer.Rendered rendered = renderer.render(page, pageNumber - 1);
      for (String skipped : rendered.skippedImages) {
        out.deadLetter(DeadLetter.forElement(source, documentId, DeadLetter.STAGE_RENDER, ErrorKind.TOO_LARGE,
            skipped + " declares more than --maxImagePixels=" + settings.maxImagePixels()
                + " pixels; the thumbnail was rendered without it", pageNumber, element + ": " + skipped));
        outcome.deadLetters++;
      }
      EncodedImage png = EncodedImage.png(rendered.image);
      out.image(PdfElement.pageImage(documentId, source, pageNumber, pageCount, png, settings.thumbnailSide(), hasText));
      outcome.pageImages++;
    } catch (OutOfMemoryError e) {
      out.deadLetter(DeadLetter.forElement(source, documentId, DeadLetter.STAGE_RENDER, ErrorKind.OUT_OF_MEMORY,
          "rendering ran out of memory: " + e.getMessage(), pageNumber, element));
      outcome.deadLetters++;
    } catch (IOException | RuntimeException e) {
      if (e instanceof Deadline.Exceeded) {
        throw (Deadline.Exceeded) e;
      }
      out.deadLetter(DeadLetter.forElement(source, documentId, DeadLetter.STAGE_RENDER, ErrorKind.RENDER_FAILED,
          describe(e), pageNumber, element));
      outcome.deadLetters++;
    }
  }

  private void extractImages(String source, String documentId, EmbeddedImageExtractor images, PDPage page,
      int pageNumber, int pageCount, boolean hasText, SplitOutput out, DocumentOutcome outcome) {
    try {
      images.extract(page, pageNumber, new EmbeddedImageExtractor.Sink() {
        @Override
        public void image(int p, String streamHash, String name, EncodedImage image) {
          out.image(PdfElement.embeddedImage(documentId, source, p, pageCount, streamHash, name, image,
              settings.maxImageSide(), hasText));
          outcome.embeddedImages++;
        }

        @Override
        public void skipped(int p, String element, ErrorKind kind, String message) {
          out.deadLetter(DeadLetter.forElement(source, documentId, DeadLetter.STAGE_IMAGES, kind, message, p, element));
          outcome.deadLetters++;
        }
      });
    } catch (OutOfMemoryError e) {
      out.deadLetter(DeadLetter.forElement(source, documentId, DeadLetter.STAGE_IMAGES, ErrorKind.OUT_OF_MEMORY,
          "image extraction ran out of memory: " + e.getMessage(), pageNumber, "page " + pageNumber + " images"));
      outcome.deadLetters++;
    } catch (IOException | RuntimeException e) {
      if (e instanceof Deadline.Exceeded) {
        throw (Deadline.Exceeded) e;
      }
      out.deadLetter(DeadLetter.forElement(source, documentId, DeadLetter.STAGE_IMAGES, ErrorKind.IMAGE_FAILED,
          describe(e), pageNumber, "page " + pageNumber + " images"));
      outcome.deadLetters++;
    }
  }

  private static void failFile(SplitOutput out, DocumentOutcome outcome, DeadLetter deadLetter) {
    out.deadLetter(deadLetter);
    outcome.deadLetters++;
    outcome.failed = true;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

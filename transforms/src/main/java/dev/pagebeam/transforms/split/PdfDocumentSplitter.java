package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.ElementIds;
import dev.pagebeam.transforms.elements.EncodedImage;
import dev.pagebeam.transforms.elements.TextSource;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.FileFaults;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.ocr.InkCheck;
import dev.pagebeam.transforms.ocr.OcrEngine;
import dev.pagebeam.transforms.ocr.OcrException;
import dev.pagebeam.transforms.ocr.OcrResult;
import dev.pagebeam.transforms.ocr.OcrSettings;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * Splits one PDF into page texts, page thumbnails and embedded images, with no Beam in sight (the
 * DoFns and the benchmark's bare loop call it).
 *
 * <p>A document of at most {@code pagesPerTask} pages is split in one call. A larger one is
 * planned into {@link DocumentTask}s (ranges of pages, plus one image scan of the whole document)
 * that other workers run with {@link #runTask}, so a 3,000-page manual does not leave one worker
 * busy while the others idle.
 *
 * <p>Pages that OCR reads (pages without a text layer, or every page with {@code --ocr=all}) are
 * handed to the {@link TaskSink} as OCR tasks, so that the slow part is spread over workers; without
 * a task sink they are read here, by the splitter's own engine (when it has one).
 *
 * <p>Nothing here throws for bad input, Errors included ({@link FileFaults} says which Errors a
 * file can cause): a file that cannot be opened becomes one whole-file dead letter, and a page,
 * image or range that fails becomes an element dead letter while the rest of the document goes on.
 * Each call runs under one {@link Deadline}, checked between operators, pages and reads of the
 * file; {@link FileTaskRunner} enforces it where those checks are not reached.
 */
public final class PdfDocumentSplitter {
  /** Receives the tasks a large document is split into. */
  public interface TaskSink {
    void task(DocumentTask task);
  }

  private final SplitSettings settings;
  private final OcrEngine ocr;

  /** A splitter without OCR engine: OCR pages can only be planned as tasks. */
  public PdfDocumentSplitter(SplitSettings settings) {
    this(settings, null);
  }

  /** A splitter that reads OCR pages and runs OCR tasks with {@code ocr} (owned by the caller). */
  public PdfDocumentSplitter(SplitSettings settings, OcrEngine ocr) {
    this.settings = settings;
    this.ocr = ocr;
  }

  /** Splits the whole document in this call, however long it is. */
  public DocumentOutcome split(String source, ReadableByteChannel channel, long sizeHint, SplitOutput out) {
    return split(source, channel, sizeHint, out, null);
  }

  /** {@link #split(String, ReadableByteChannel, long, SplitOutput, TaskSink, Deadline)} within --fileTimeoutSeconds. */
  public DocumentOutcome split(
      String source, ReadableByteChannel channel, long sizeHint, SplitOutput out, TaskSink tasks) {
    return split(source, channel, sizeHint, out, tasks, Deadline.inSeconds(settings.fileTimeoutSeconds()));
  }

  /**
   * Reads the file and splits it, or, when it has more than {@code pagesPerTask} pages and
   * {@code tasks} is not null, hands its work to {@code tasks} instead.
   *
   * @param source the path reported in elements and dead letters
   * @param sizeHint the file size if known, else -1
   */
  DocumentOutcome split(String source, ReadableByteChannel channel, long sizeHint, SplitOutput out, TaskSink tasks,
      Deadline deadline) {
    DocumentOutcome outcome = new DocumentOutcome();
    Opened opened = open(source, channel, sizeHint, null, null, deadline, out, outcome);
    if (opened == null) {
      return outcome;
    }
    try (PDDocument doc = opened.document) {
      int pageCount = pageCount(doc, source, opened.documentId, null, out, outcome);
      if (pageCount <= 0) {
        return outcome;
      }
      outcome.pageCount = pageCount;
      if (tasks != null && pageCount > settings.pagesPerTask()) {
        for (int first = 1; first <= pageCount; first += settings.pagesPerTask()) {
          int last = Math.min(pageCount, first + settings.pagesPerTask() - 1);
          tasks.task(new DocumentTask(source, opened.size, opened.documentId, pageCount, DocumentTask.Kind.PAGES,
              first, last));
          outcome.tasks++;
        }
        if (settings.embeddedImages()) {
          tasks.task(new DocumentTask(source, opened.size, opened.documentId, pageCount, DocumentTask.Kind.IMAGES,
              1, pageCount));
          outcome.tasks++;
        }
      } else {
        List<Integer> ocrPages = processPages(source, opened.documentId, doc, 1, pageCount, pageCount, true, true,
            deadline, out, outcome);
        readOrPlanOcr(source, opened, doc, pageCount, ocrPages, deadline, out, tasks, outcome);
      }
    } catch (IOException e) {
      closeFailed(source, opened.documentId, out, outcome, e);
    }
    return outcome;
  }

  /** Runs one task planned by {@link #split}; the OCR pages of a page range are read here. */
  public DocumentOutcome runTask(DocumentTask task, ReadableByteChannel channel, SplitOutput out) {
    return runTask(task, channel, out, null);
  }

  /**
   * Runs one task planned by {@link #split}. The OCR pages of a page range become OCR tasks for
   * {@code tasks}, or are read here when {@code tasks} is null.
   */
  public DocumentOutcome runTask(DocumentTask task, ReadableByteChannel channel, SplitOutput out, TaskSink tasks) {
    return runTask(task, channel, out, tasks, Deadline.inSeconds(settings.fileTimeoutSeconds()));
  }

  DocumentOutcome runTask(DocumentTask task, ReadableByteChannel channel, SplitOutput out, TaskSink tasks,
      Deadline deadline) {
    DocumentOutcome outcome = new DocumentOutcome();
    Opened opened = open(task.source(), channel, task.sizeBytes(), task.documentId(), task.describe(), deadline, out,
        outcome);
    if (opened == null) {
      return outcome;
    }
    try (PDDocument doc = opened.document) {
      int pageCount = pageCount(doc, task.source(), task.documentId(), task.describe(), out, outcome);
      if (pageCount <= 0) {
        return outcome;
      }
      outcome.pageCount = pageCount;
      int last = Math.min(task.lastPage(), pageCount);
      if (task.kind() == DocumentTask.Kind.OCR) {
        if (ocr == null) {
          throw new IllegalStateException("an OCR task needs a splitter with an OCR engine: " + task);
        }
        readPages(task.source(), task.documentId(), doc, task.firstPage(), last, pageCount, deadline, out, outcome);
      } else {
        boolean pages = task.kind() == DocumentTask.Kind.PAGES;
        List<Integer> ocrPages = processPages(task.source(), task.documentId(), doc, task.firstPage(), last,
            pageCount, pages, !pages, deadline, out, outcome);
        readOrPlanOcr(task.source(), opened, doc, pageCount, ocrPages, deadline, out, tasks, outcome);
      }
    } catch (IOException e) {
      closeFailed(task.source(), task.documentId(), out, outcome, e);
    }
    return outcome;
  }

  private static final class Opened {
    final PDDocument document;
    final String documentId;
    final long size;

    Opened(PDDocument document, String documentId, long size) {
      this.document = document;
      this.documentId = documentId;
      this.size = size;
    }
  }

  /**
   * Reads and opens the file, or emits the dead letter that says why not and returns null. For a
   * task ({@code task != null}) the failure is about the task's pages, not the whole file, and the
   * bytes must still hash to {@code expectedId}.
   */
  private Opened open(String source, ReadableByteChannel channel, long sizeHint, String expectedId, String task,
      Deadline deadline, SplitOutput out, DocumentOutcome outcome) {
    DocumentBytes bytes;
    try {
      bytes = DocumentBytes.read(channel, sizeHint, settings.memoryPerDocumentMb() * 1024L * 1024L);
    } catch (IOException e) {
      fail(out, outcome, source, expectedId, task, ErrorKind.IO_ERROR, "could not read the file: " + e);
      return null;
    }
    try (DocumentBytes b = bytes) {
      String documentId = b.sha256();
      outcome.documentId = documentId;
      if (expectedId != null && !expectedId.equals(documentId)) {
        fail(out, outcome, source, expectedId, task, ErrorKind.IO_ERROR,
            "the file changed while the job ran (its SHA-256 is no longer " + expectedId + "); rerun the job");
        return null;
      }
      if (b.size() == 0) {
        fail(out, outcome, source, documentId, task, ErrorKind.EMPTY_FILE, "the file is empty (0 bytes)");
        return null;
      }
      if (!b.hasPdfHeader()) {
        fail(out, outcome, source, documentId, task, ErrorKind.NOT_A_PDF,
            "no %PDF- header in the first 1024 bytes: this is not a PDF file");
        return null;
      }
      StreamCacheCreateFunction cache =
          MemoryUsageSetting.setupMixed(settings.memoryPerDocumentMb() * 1024L * 1024L).streamCache;
      RandomAccessRead read = null;
      try {
        read = new DeadlineRead(b.inMemory() != null ? new RandomAccessReadBuffer(b.inMemory())
            : new RandomAccessReadBufferedFile(b.spoolFile()), deadline);
        // the document closes its source
        return new Opened(Loader.loadPDF(read, "", null, null, cache), documentId, b.size());
      } catch (InvalidPasswordException e) {
        fail(out, outcome, source, documentId, task, ErrorKind.ENCRYPTED,
            "the PDF is encrypted with a user password and cannot be opened without it");
      } catch (Deadline.Exceeded e) {
        fail(out, outcome, source, documentId, task, ErrorKind.TIMEOUT, e.getMessage() + " while opening the file");
      } catch (Throwable e) {
        FileFaults.rethrowIfNotPerFile(e);
        fail(out, outcome, source, documentId, task, FileFaults.kind(e, ErrorKind.DAMAGED),
            "PDFBox could not open the file: " + FileFaults.describe(e));
      }
      closeQuietly(read);
      return null;
    } catch (IOException e) {
      // deleting the spool file failed after the document was loaded from it
      fail(out, outcome, source, expectedId, task, ErrorKind.IO_ERROR, "temporary file cleanup failed: " + e);
      return null;
    }
  }

  private int pageCount(PDDocument doc, String source, String documentId, String task, SplitOutput out,
      DocumentOutcome outcome) {
    try {
      int claimed = doc.getNumberOfPages();
      int pageCount = reachablePages(doc, claimed);
      if (pageCount == 0) {
        fail(out, outcome, source, documentId, task, ErrorKind.NO_PAGES,
            "the document has no pages (its page tree is empty or lost)");
      } else if (pageCount < claimed && task == null) {
        element(out, outcome, source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.DAMAGED, "the page tree claims "
            + claimed + " pages but only the first " + pageCount + " can be reached; the others were not read",
            pageCount + 1, "pages " + (pageCount + 1) + "-" + claimed);
      }
      return pageCount;
    } catch (Throwable e) {
      FileFaults.rethrowIfNotPerFile(e);
      fail(out, outcome, source, documentId, task, FileFaults.kind(e, ErrorKind.DAMAGED),
          "the page tree is unreadable: " + FileFaults.describe(e));
      return -1;
    }
  }

  /**
   * The pages that can be reached, at most {@code claimed}. The page tree's /Count may lie (a
   * million pages claimed, one present) and its Kids may loop back: planning tasks for pages that
   * are not there would multiply one small hostile file into thousands of tasks.
   */
  private static int reachablePages(PDDocument doc, int claimed) {
    if (claimed == 0) {
      return 0;
    }
    try {
      doc.getPage(claimed - 1);
      return claimed;
    } catch (RuntimeException lastIsMissing) {
      int reached = 0;
      try {
        for (PDPage ignored : doc.getPages()) {
          if (++reached == claimed) {
            break;
          }
        }
        return reached;
      } catch (RuntimeException treeLoops) {
        // walk page by page until the first one that cannot be reached
        reached = 0;
        try {
          while (reached < claimed) {
            doc.getPage(reached);
            reached++;
          }
        } catch (RuntimeException unreachable) {
          // the pages before it are the document
        }
        return reached;
      }
    }
  }

  private static void closeQuietly(RandomAccessRead read) {
    try {
      if (read != null) {
        read.close();
      }
    } catch (IOException e) {
      // nothing was read from it that matters any more
    }
  }

  /**
   * Pages {@code first..last}: text and thumbnails when {@code pages}, embedded images when
   * {@code images}. A time-out or a broken page tree ends the range with one dead letter naming the
   * pages that were not done; elements of earlier pages stay. Returns the pages OCR should read.
   */
  private List<Integer> processPages(String source, String documentId, PDDocument doc, int first, int last,
      int pageCount, boolean pages, boolean images, Deadline deadline, SplitOutput out, DocumentOutcome outcome) {
    List<Integer> ocrPages = new ArrayList<>();
    int current = first;
    try {
      String[] texts = new String[last - first + 1];
      if (pages && settings.text()) {
        collectText(source, documentId, doc, first, texts, deadline, out, outcome);
      }
      PageRenderer renderer = pages && settings.pageImages()
          ? new PageRenderer(doc, settings.thumbnailSide(), settings.maxImagePixels(), deadline) : null;
      EmbeddedImageExtractor extractor = images && settings.embeddedImages()
          ? new EmbeddedImageExtractor(doc, settings, deadline) : null;
      for (int number = first; number <= last; number++) {
        deadline.check();
        current = number;
        PDPage page = doc.getPage(number - 1);
        if (pages) {
          String text = texts[number - first];
          boolean hasText = text != null && !text.isBlank();
          boolean readByOcr = settings.ocrReadsPage(hasText);
          outcome.pages++;
          if (!hasText && settings.text()) {
            outcome.pagesWithoutText++;
          }
          boolean thumbnail = renderer != null
              && renderThumbnail(source, documentId, renderer, page, number, pageCount, hasText, readByOcr, out, outcome);
          if (hasText) {
            out.pageText(new PageText(documentId, source, number, pageCount, text, TextSource.TEXT_LAYER, -1,
                thumbnail ? ElementIds.pageImage(documentId, number, settings.thumbnailSide()) : null));
          }
          if (readByOcr) {
            ocrPages.add(number);
          }
        }
        if (extractor != null) {
          extractImages(source, documentId, extractor, page, number, pageCount, out, outcome);
        }
      }
    } catch (Deadline.Exceeded e) {
      element(out, outcome, source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.TIMEOUT,
          e.getMessage() + "; pages " + current + "-" + last + " were not processed (earlier pages were kept)",
          current, (pages ? "pages " : "images of pages ") + current + "-" + last);
    } catch (Throwable e) {
      // doc.getPage(i) on a broken page tree
      FileFaults.rethrowIfNotPerFile(e);
      element(out, outcome, source, documentId, DeadLetter.STAGE_OPEN, FileFaults.kind(e, ErrorKind.DAMAGED),
          "page " + current + " of " + pageCount + " is unreadable: " + FileFaults.describe(e), current,
          (pages ? "pages " : "images of pages ") + current + "-" + last);
    }
    return ocrPages;
  }

  /**
   * The pages OCR reads: as OCR tasks of consecutive pages (at most the OCR pages per task each)
   * when there is a task sink, else here with this splitter's engine.
   */
  private void readOrPlanOcr(String source, Opened opened, PDDocument doc, int pageCount, List<Integer> ocrPages,
      Deadline deadline, SplitOutput out, TaskSink tasks, DocumentOutcome outcome) {
    if (ocrPages.isEmpty()) {
      return;
    }
    int perTask = settings.ocr().pagesPerTask();
    int i = 0;
    while (i < ocrPages.size()) {
      int first = ocrPages.get(i);
      int last = first;
      while (i + 1 < ocrPages.size() && ocrPages.get(i + 1) == last + 1 && last - first + 1 < perTask) {
        last = ocrPages.get(++i);
      }
      i++;
      outcome.ocrPagesPlanned += last - first + 1;
      if (tasks != null) {
        tasks.task(new DocumentTask(source, opened.size, opened.documentId, pageCount, DocumentTask.Kind.OCR, first,
            last));
        outcome.tasks++;
      } else if (ocr != null) {
        readPages(source, opened.documentId, doc, first, last, pageCount, deadline, out, outcome);
      }
    }
  }

  /**
   * OCR of pages {@code first..last}: each rendered in gray at the OCR resolution and read, unless
   * the rendering is nearly blank ({@link InkCheck}): such a page is counted as skipped.
   */
  private void readPages(String source, String documentId, PDDocument doc, int first, int last, int pageCount,
      Deadline deadline, SplitOutput out, DocumentOutcome outcome) {
    OcrSettings o = settings.ocr();
    PageRenderer renderer = new PageRenderer(doc, settings.thumbnailSide(), settings.maxImagePixels(), deadline);
    int current = first;
    try {
      for (int number = first; number <= last; number++) {
        deadline.check();
        current = number;
        outcome.ocrPagesTaken++;
        String element = "page " + number + " OCR";
        PageRenderer.Rendered rendered;
        try {
          rendered = renderer.renderGray(doc.getPage(number - 1), number - 1, o.pageDpi(), OcrSettings.MAX_PAGE_PIXELS);
        } catch (Deadline.Exceeded e) {
          throw e;
        } catch (Throwable e) {
          FileFaults.rethrowIfNotPerFile(e);
          element(out, outcome, source, documentId, DeadLetter.STAGE_OCR, FileFaults.kind(e, ErrorKind.RENDER_FAILED),
              "rendering the page for OCR failed: " + FileFaults.describe(e), number, element);
          continue;
        }
        if (!InkCheck.mayHoldText(rendered.image, rendered.dpi)) {
          outcome.ocrSkippedPages++;
          continue;
        }
        try {
          OcrResult read = ocr.read(rendered.image, rendered.dpi);
          outcome.ocrPages++;
          if (read.isText()) {
            out.pageText(new PageText(documentId, source, number, pageCount, read.text(), TextSource.OCR,
                read.meanConfidence(),
                settings.pageImages() ? ElementIds.pageImage(documentId, number, settings.thumbnailSide()) : null));
          }
        } catch (OcrException e) {
          element(out, outcome, source, documentId, DeadLetter.STAGE_OCR,
              e.isTimeout() ? ErrorKind.TIMEOUT : ErrorKind.OCR_FAILED, e.getMessage(), number, element);
        } catch (Throwable e) {
          FileFaults.rethrowIfNotPerFile(e);
          element(out, outcome, source, documentId, DeadLetter.STAGE_OCR, FileFaults.kind(e, ErrorKind.OCR_FAILED),
              "OCR of the page failed: " + FileFaults.describe(e), number, element);
        }
      }
    } catch (Deadline.Exceeded e) {
      element(out, outcome, source, documentId, DeadLetter.STAGE_OCR, ErrorKind.TIMEOUT,
          e.getMessage() + "; OCR of pages " + current + "-" + last + " was not done (earlier pages were kept)",
          current, "OCR of pages " + current + "-" + last);
    } catch (Throwable e) {
      FileFaults.rethrowIfNotPerFile(e);
      element(out, outcome, source, documentId, DeadLetter.STAGE_OCR, FileFaults.kind(e, ErrorKind.DAMAGED),
          "page " + current + " of " + pageCount + " is unreadable: " + FileFaults.describe(e), current,
          "OCR of pages " + current + "-" + last);
    }
  }

  /**
   * The text of pages {@code first..} into {@code texts}. A page whose text cannot be extracted
   * gets a dead letter and no text; extraction goes on with the next page.
   */
  private void collectText(String source, String documentId, PDDocument doc, int first, String[] texts,
      Deadline deadline, SplitOutput out, DocumentOutcome outcome) {
    PageTextCollector collector = new PageTextCollector(deadline);
    int from = 0;
    while (from < texts.length) {
      try {
        collector.collect(doc, first, texts, from);
        return;
      } catch (Deadline.Exceeded e) {
        throw e;
      } catch (Throwable e) {
        FileFaults.rethrowIfNotPerFile(e);
        int failed = collector.current();
        texts[failed] = null;
        element(out, outcome, source, documentId, DeadLetter.STAGE_TEXT, FileFaults.kind(e, ErrorKind.TEXT_FAILED),
            "text extraction failed: " + FileFaults.describe(e), first + failed, "text of page " + (first + failed));
        from = failed + 1;
        collector = new PageTextCollector(deadline);
      }
    }
  }

  /** Renders and emits the page's thumbnail; false when it failed (a dead letter says why). */
  private boolean renderThumbnail(String source, String documentId, PageRenderer renderer, PDPage page,
      int pageNumber, int pageCount, boolean hasText, boolean readByOcr, SplitOutput out, DocumentOutcome outcome) {
    String element = "page " + pageNumber + " thumbnail";
    try {
      PageRenderer.Rendered rendered = renderer.render(page, pageNumber - 1);
      for (String skipped : rendered.skippedImages) {
        element(out, outcome, source, documentId, DeadLetter.STAGE_RENDER, ErrorKind.TOO_LARGE,
            skipped + " declares more than --maxImagePixels=" + settings.maxImagePixels()
                + " pixels; the thumbnail was rendered without it", pageNumber, element + ": " + skipped);
      }
      EncodedImage png = EncodedImage.png(rendered.image);
      out.image(PdfElement.pageImage(documentId, source, pageNumber, pageCount, png, settings.thumbnailSide(),
          hasText, readByOcr));
      outcome.pageImages++;
      return true;
    } catch (Deadline.Exceeded e) {
      throw e;
    } catch (Throwable e) {
      // the page's text is kept: only its thumbnail is lost
      FileFaults.rethrowIfNotPerFile(e);
      element(out, outcome, source, documentId, DeadLetter.STAGE_RENDER, FileFaults.kind(e, ErrorKind.RENDER_FAILED),
          "the thumbnail could not be drawn (the page's text is kept): " + FileFaults.describe(e), pageNumber,
          element);
    }
    return false;
  }

  private void extractImages(String source, String documentId, EmbeddedImageExtractor extractor, PDPage page,
      int pageNumber, int pageCount, SplitOutput out, DocumentOutcome outcome) {
    String element = "page " + pageNumber + " images";
    try {
      extractor.extract(page, pageNumber, new EmbeddedImageExtractor.Sink() {
        @Override
        public void image(int p, String streamHash, String name, EncodedImage image, ImageContext context) {
          out.image(PdfElement.embeddedImage(documentId, source, p, pageCount, streamHash, name, image,
              settings.maxImageSide(), context.caption, context.context,
              settings.pageImages() ? ElementIds.pageImage(documentId, p, settings.thumbnailSide()) : null));
          outcome.embeddedImages++;
        }

        @Override
        public void skipped(int p, String what, ErrorKind kind, String message) {
          element(out, outcome, source, documentId, DeadLetter.STAGE_IMAGES, kind, message, p, what);
        }
      });
    } catch (Deadline.Exceeded e) {
      throw e;
    } catch (Throwable e) {
      FileFaults.rethrowIfNotPerFile(e);
      element(out, outcome, source, documentId, DeadLetter.STAGE_IMAGES, FileFaults.kind(e, ErrorKind.IMAGE_FAILED),
          "image extraction failed: " + FileFaults.describe(e), pageNumber, element);
    }
  }

  /** A failure to open: of the whole file, or (for a task) of the task's pages only. */
  private static void fail(SplitOutput out, DocumentOutcome outcome, String source, String documentId, String task,
      ErrorKind kind, String message) {
    if (task == null) {
      out.deadLetter(DeadLetter.forFile(source, documentId, DeadLetter.STAGE_OPEN, kind, message));
      outcome.failed = true;
      outcome.failure = kind.name() + ": " + message;
      outcome.documentId = documentId;
    } else {
      out.deadLetter(DeadLetter.forElement(source, documentId, DeadLetter.STAGE_OPEN, kind, message, 0, task));
    }
    outcome.deadLetters++;
  }

  private static void element(SplitOutput out, DocumentOutcome outcome, String source, String documentId,
      String stage, ErrorKind kind, String message, int page, String element) {
    out.deadLetter(DeadLetter.forElement(source, documentId, stage, kind, message, page, element));
    outcome.deadLetters++;
  }

  private static void closeFailed(String source, String documentId, SplitOutput out, DocumentOutcome outcome,
      IOException e) {
    // the elements were already emitted; say that cleanup failed
    element(out, outcome, source, documentId, DeadLetter.STAGE_OPEN, ErrorKind.IO_ERROR,
        "closing the document failed: " + FileFaults.describe(e), 0, "document cleanup");
  }

}

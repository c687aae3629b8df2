package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.ocr.OcrEngine;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Runs {@link PdfDocumentSplitter} on bytes and keeps everything it emits. */
final class Collected implements SplitOutput {
  final List<PageText> texts = new ArrayList<>();
  final List<PdfElement> images = new ArrayList<>();
  final List<DeadLetter> deadLetters = new ArrayList<>();
  final List<DocumentTask> tasks = new ArrayList<>();
  DocumentOutcome outcome;

  static Collected split(String name, byte[] pdf, SplitSettings settings) {
    return split(name, pdf, settings, null);
  }

  /** Splits in one call; OCR pages are read with {@code ocr} (none when null). */
  static Collected split(String name, byte[] pdf, SplitSettings settings, OcrEngine ocr) {
    Collected c = new Collected();
    c.outcome = new PdfDocumentSplitter(settings, ocr)
        .split(name, Channels.newChannel(new ByteArrayInputStream(pdf)), pdf.length, c);
    return c;
  }

  /** Plans a long document into tasks and runs each of them, as the pipeline does. */
  static Collected splitWithTasks(String name, byte[] pdf, SplitSettings settings) {
    Collected c = planOnly(name, pdf, settings);
    PdfDocumentSplitter splitter = new PdfDocumentSplitter(settings);
    for (DocumentTask task : c.tasks) {
      splitter.runTask(task, Channels.newChannel(new ByteArrayInputStream(pdf)), c);
    }
    return c;
  }

  static Collected planOnly(String name, byte[] pdf, SplitSettings settings) {
    Collected c = new Collected();
    c.outcome = new PdfDocumentSplitter(settings)
        .split(name, Channels.newChannel(new ByteArrayInputStream(pdf)), pdf.length, c, c.tasks::add);
    return c;
  }

  static Collected runTask(DocumentTask task, byte[] pdf, SplitSettings settings) {
    return runTask(task, pdf, settings, null);
  }

  static Collected runTask(DocumentTask task, byte[] pdf, SplitSettings settings, OcrEngine ocr) {
    Collected c = new Collected();
    c.outcome = new PdfDocumentSplitter(settings, ocr)
        .runTask(task, Channels.newChannel(new ByteArrayInputStream(pdf)), c);
    return c;
  }

  @Override
  public void pageText(PageText page) {
    texts.add(page);
  }

  @Override
  public void image(PdfElement image) {
    images.add(image);
  }

  @Override
  public void deadLetter(DeadLetter deadLetter) {
    deadLetters.add(deadLetter);
  }

  List<PdfElement> ofType(ElementType type) {
    return images.stream().filter(e -> e.getType() == type).collect(Collectors.toList());
  }
}

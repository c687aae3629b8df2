package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.DeadLetter;
/** Receives what {@link PdfDocumentSplitter} produces, in page order. */
public interface SplitOutput {
  /** The text of a page that has a text layer. */
  void pageText(PageText page);

  /** A page thumbnail or an embedded image. */
  void image(PdfElement image);

  void deadLetter(DeadLetter deadLetter);
}

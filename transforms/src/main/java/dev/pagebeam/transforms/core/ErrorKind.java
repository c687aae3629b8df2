package dev.pagebeam.transforms.core;

/** Why a file or an element became a dead letter. */
public enum ErrorKind {
  /** The file has no bytes. */
  EMPTY_FILE,
  /** The file does not start like a PDF. */
  NOT_A_PDF,
  /** The PDF needs a password to be opened. */
  ENCRYPTED,
  /** PDFBox could not parse the file, even leniently. */
  DAMAGED,
  /** The file parsed but has no pages. */
  NO_PAGES,
  /** The file could not be read from its file system. */
  IO_ERROR,
  /** The per-file time limit (--fileTimeoutSeconds) ran out. */
  TIMEOUT,
  /** Reading the file recursed without end (a cycle between its content streams, forms, patterns or glyphs). */
  RECURSION,
  /** The PDF library or Java's imaging failed on the file with an Error other than recursion or memory. */
  READER_ERROR,
  /** An image or page declares more pixels than the configured limit. */
  TOO_LARGE,
  /** Decoding or rendering ran out of memory despite the limits. */
  OUT_OF_MEMORY,
  /** An image uses a format no installed decoder can read (JPEG 2000, JBIG2...). */
  UNSUPPORTED_IMAGE,
  /** Text of a page could not be extracted or chunked. */
  TEXT_FAILED,
  /** A page could not be rendered. */
  RENDER_FAILED,
  /** An image could not be decoded or encoded. */
  IMAGE_FAILED,
  /** OCR could not read a page or an image (a time-out is TIMEOUT). */
  OCR_FAILED,
  /** The element could not be encoded by the model. */
  ENCODE_FAILED,
  /** The sink refused the record or stayed unreachable. */
  SINK_FAILED
}

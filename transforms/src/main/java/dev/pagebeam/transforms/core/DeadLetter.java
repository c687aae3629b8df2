package dev.pagebeam.transforms.core;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaBeanSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaIgnore;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A record of input that could not be turned into elements or vectors, with the reason: which
 * file, which stage, what kind of error, and (for a single element) which element.
 *
 * <p>Why not Beam's {@code errorhandling.BadRecord} and its {@code ErrorHandler}: a BadRecord
 * carries the failed element itself, encoded, and a stack trace; the element of a file task is a
 * PDF's path but of the encoder a page image of up to megabytes, which would travel and be stored
 * for every failure of a broken corpus. A DeadLetter carries what the ledger and a user need (the
 * file, the page and element id, the stage, an {@link ErrorKind} and a one-line reason) and
 * {@link WithDeadLetters} routes it as a second output, as BadRecord routing would.
 */
@DefaultSchema(JavaBeanSchema.class)
public final class DeadLetter implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Stages that produce dead letters. */
  public static final String STAGE_OPEN = "open";
  public static final String STAGE_TEXT = "extract-text";
  public static final String STAGE_RENDER = "render-thumbnail";
  public static final String STAGE_IMAGES = "extract-images";
  public static final String STAGE_CHUNK = "chunk-text";
  public static final String STAGE_OCR = "ocr";
  /** The file task as a whole, when it failed outside every stage's own handling (a time-out that did not stop). */
  public static final String STAGE_SPLIT = "split";
  /** Writing an image file beside the vectors (--writeImages). */
  public static final String STAGE_WRITE_IMAGE = "write-image";

  private final String file;
  private final String documentId;
  private final String stage;
  private final ErrorKind errorKind;
  private final String message;
  private final int page;
  private final String element;

  /** The coder of dead letters: Beam's schema coder over the getters. */
  public static final Coder<DeadLetter> CODER = Schemas.coder(DeadLetter.class);

  @SchemaCreate
  public DeadLetter(String file, @Nullable String documentId, String stage, ErrorKind errorKind, String message,
      int page, @Nullable String element) {
    this.file = Objects.requireNonNull(file, "file");
    this.documentId = documentId;
    this.stage = Objects.requireNonNull(stage, "stage");
    this.errorKind = Objects.requireNonNull(errorKind, "errorKind");
    this.message = Objects.requireNonNull(message, "message");
    this.page = page;
    this.element = element;
  }

  /** A whole file that produced nothing. */
  public static DeadLetter forFile(String file, String documentId, String stage, ErrorKind kind, String message) {
    return new DeadLetter(file, documentId, stage, kind, message, 0, null);
  }

  /** One element (a page thumbnail, an image, a page's text) that was skipped. */
  public static DeadLetter forElement(
      String file, String documentId, String stage, ErrorKind kind, String message, int page, String element) {
    return new DeadLetter(file, documentId, stage, kind, message, page, element);
  }

  public String getFile() {
    return file;
  }

  /** SHA-256 of the file, or null when the file could not be read. */
  public @Nullable String getDocumentId() {
    return documentId;
  }

  public String getStage() {
    return stage;
  }

  public ErrorKind getErrorKind() {
    return errorKind;
  }

  public String getMessage() {
    return message;
  }

  /** 1-based page, or 0 when the record is about the whole file. */
  public int getPage() {
    return page;
  }

  /** What was skipped ("page 3 image Im1 (60000x60000 px)"), or null for a whole file. */
  public @Nullable String getElement() {
    return element;
  }

  @SchemaIgnore
  public boolean isWholeFile() {
    return element == null;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return page == d.page
        && file.equals(d.file)
        && Objects.equals(documentId, d.documentId)
        && stage.equals(d.stage)
        && errorKind == d.errorKind
        && message.equals(d.message)
        && Objects.equals(element, d.element);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, stage, errorKind, page, element);
  }

  @Override
  public String toString() {
    return "DeadLetter[" + file + " " + stage + " " + errorKind + (element == null ? "" : " " + element) + ": " + message + "]";
  }
}

package dev.pagebeam.transforms.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

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
@DefaultCoder(DeadLetter.DeadLetterCoder.class)
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

  private final String file;
  private final String documentId;
  private final String stage;
  private final ErrorKind errorKind;
  private final String message;
  private final int page;
  private final String element;

  public DeadLetter(
      String file, String documentId, String stage, ErrorKind errorKind, String message, int page, String element) {
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
  public String getDocumentId() {
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
  public String getElement() {
    return element;
  }

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

  /** Deterministic coder for {@link DeadLetter}. */
  public static final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Integer> INT = VarIntCoder.of();

    public static DeadLetterCoder of() {
      return new DeadLetterCoder();
    }

    @Override
    public void encode(DeadLetter d, OutputStream out) throws IOException {
      STRING.encode(d.file, out);
      NULLABLE_STRING.encode(d.documentId, out);
      STRING.encode(d.stage, out);
      STRING.encode(d.errorKind.name(), out);
      STRING.encode(d.message, out);
      INT.encode(d.page, out);
      NULLABLE_STRING.encode(d.element, out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(
          STRING.decode(in),
          NULLABLE_STRING.decode(in),
          STRING.decode(in),
          ErrorKind.valueOf(STRING.decode(in)),
          STRING.decode(in),
          INT.decode(in),
          NULLABLE_STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}

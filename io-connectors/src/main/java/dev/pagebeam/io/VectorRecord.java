package dev.pagebeam.io;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * The record every sink writes: the element's id (the upsert key), its metadata and its vector.
 * This is the shared record schema of all sinks.
 */
@DefaultCoder(VectorRecord.RecordCoder.class)
public final class VectorRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String documentId;
  private final String type;
  private final String source;
  private final int page;
  private final String text;
  private final String ref;
  private final String contentHash;
  private final String modelId;
  private final float[] vector;
  private final String thumbnail;
  private final String textSource;

  /**
   * @param type text_chunk, page_image or embedded_image
   * @param text the chunk text; null for images
   * @param ref where the content is: {@code file.pdf#page=3&chars=0-812}, or the image's file
   */
  public VectorRecord(String id, String documentId, String type, String source, int page, String text, String ref,
      String contentHash, String modelId, float[] vector) {
    this(id, documentId, type, source, page, text, ref, contentHash, modelId, vector, null, null);
  }

  private VectorRecord(String id, String documentId, String type, String source, int page, String text, String ref,
      String contentHash, String modelId, float[] vector, String thumbnail, String textSource) {
    this.id = Objects.requireNonNull(id, "id");
    this.documentId = Objects.requireNonNull(documentId, "documentId");
    this.type = Objects.requireNonNull(type, "type");
    this.source = Objects.requireNonNull(source, "source");
    this.page = page;
    this.text = wellFormed(text);
    this.ref = Objects.requireNonNull(ref, "ref");
    this.contentHash = Objects.requireNonNull(contentHash, "contentHash");
    this.modelId = Objects.requireNonNull(modelId, "modelId");
    this.vector = Objects.requireNonNull(vector, "vector");
    this.thumbnail = thumbnail;
    this.textSource = textSource;
  }

  /**
   * This record with the page thumbnail's file (so that a hit can show its page) and where its text
   * comes from ({@code text_layer}, {@code ocr}, {@code caption}); either may be null.
   */
  public VectorRecord withPage(String thumbnail, String textSource) {
    return new VectorRecord(id, documentId, type, source, page, text, ref, contentHash, modelId, vector, thumbnail,
        textSource);
  }

  public String id() {
    return id;
  }

  public String documentId() {
    return documentId;
  }

  public String type() {
    return type;
  }

  public String source() {
    return source;
  }

  public int page() {
    return page;
  }

  /** The text that was embedded: a chunk, or an image's caption and OCR text; null for images without text. */
  public String text() {
    return text;
  }

  /** The file of the page's thumbnail, or null. */
  public String thumbnail() {
    return thumbnail;
  }

  /** text_layer, ocr or caption; null for records without text. */
  public String textSource() {
    return textSource;
  }

  public String ref() {
    return ref;
  }

  public String contentHash() {
    return contentHash;
  }

  public String modelId() {
    return modelId;
  }

  public float[] vector() {
    return vector;
  }

  public int dimension() {
    return vector.length;
  }

  /** The first {@code max} characters of the text (or the ref for images), on one line. */
  public String preview(int max) {
    return preview(text == null ? ref : text, max);
  }

  /**
   * {@code text} on one line, cut to {@code max} characters: what the sinks store as the preview.
   * The cut never splits a surrogate pair: half an emoji is not valid Unicode, and a server that
   * parses JSON strictly (Chroma) refuses the whole request that holds it.
   */
  public static String preview(String text, int max) {
    String s = text.replaceAll("\\s+", " ").trim();
    if (s.length() <= max) {
      return s;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "\u2026";
  }

  /**
   * {@code s} with every lone surrogate (a half of a pair without its other half, which a PDF's
   * broken text layer can give) replaced by U+FFFD, so that it encodes as valid UTF-8 and JSON.
   */
  static String wellFormed(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
          : !Character.isLowSurrogate(c) || i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
      if (!paired || b != null) {
        if (b == null) {
          b = new StringBuilder(s.length()).append(s, 0, i);
        }
        b.append(paired ? c : '\uFFFD');
      }
    }
    return b == null ? s : b.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof VectorRecord)) {
      return false;
    }
    VectorRecord r = (VectorRecord) o;
    return page == r.page && id.equals(r.id) && documentId.equals(r.documentId) && type.equals(r.type)
        && source.equals(r.source) && Objects.equals(text, r.text) && ref.equals(r.ref)
        && contentHash.equals(r.contentHash) && modelId.equals(r.modelId) && Arrays.equals(vector, r.vector)
        && Objects.equals(thumbnail, r.thumbnail) && Objects.equals(textSource, r.textSource);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "VectorRecord[" + id + " " + type + " " + ref + ", " + vector.length + " dims]";
  }

  /** Deterministic coder; floats as raw IEEE 754. */
  public static final class RecordCoder extends AtomicCoder<VectorRecord> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<Integer> INT = VarIntCoder.of();

    public static RecordCoder of() {
      return new RecordCoder();
    }

    @Override
    public void encode(VectorRecord r, OutputStream out) throws IOException {
      STRING.encode(r.id, out);
      STRING.encode(r.documentId, out);
      STRING.encode(r.type, out);
      STRING.encode(r.source, out);
      INT.encode(r.page, out);
      NULLABLE.encode(r.text, out);
      STRING.encode(r.ref, out);
      STRING.encode(r.contentHash, out);
      STRING.encode(r.modelId, out);
      INT.encode(r.vector.length, out);
      DataOutputStream data = new DataOutputStream(out);
      for (float f : r.vector) {
        data.writeFloat(f);
      }
      data.flush();
      NULLABLE.encode(r.thumbnail, out);
      NULLABLE.encode(r.textSource, out);
    }

    @Override
    public VectorRecord decode(InputStream in) throws IOException {
      String id = STRING.decode(in);
      String documentId = STRING.decode(in);
      String type = STRING.decode(in);
      String source = STRING.decode(in);
      int page = INT.decode(in);
      String text = NULLABLE.decode(in);
      String ref = STRING.decode(in);
      String hash = STRING.decode(in);
      String model = STRING.decode(in);
      float[] vector = new float[INT.decode(in)];
      DataInputStream data = new DataInputStream(in);
      for (int i = 0; i < vector.length; i++) {
        vector[i] = data.readFloat();
      }
      return new VectorRecord(id, documentId, type, source, page, text, ref, hash, model, vector, NULLABLE.decode(in),
          NULLABLE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}

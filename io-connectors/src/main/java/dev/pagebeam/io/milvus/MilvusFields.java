package dev.pagebeam.io.milvus;

import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.Bm25Index;
import io.milvus.v2.common.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * What a record puts in each field of a pagebeam collection, in one place for the upserts and the
 * bulk-import files, so that the two paths cannot write different rows. Values are a String, a Long
 * (INT64) or a float[] (the FLOAT_VECTOR); VARCHARs are clipped to the collection's byte limits.
 */
final class MilvusFields {
  static final int PREVIEW = 1024;
  static final int TEXT = 65_535;
  static final int PATH = 4096;

  /** The fields every pagebeam collection has, in the order the collection declares them. */
  static final List<String> BASE = List.of(MilvusStore.ID, MilvusStore.VECTOR, "document_id", "content_hash", "type",
      "model", "source", "ref", "page", "preview", "text");

  private MilvusFields() {}

  /**
   * The fields a record fills in a collection that has {@code optional} of
   * {@link MilvusStore#OPTIONAL_FIELDS}: the base fields and the optional ones present, never the
   * BM25 function's output, which the server makes.
   */
  static List<String> written(List<String> optional) {
    List<String> fields = new ArrayList<>(BASE);
    for (String f : optional) {
      if (!f.equals(MilvusStore.SPARSE)) {
        fields.add(f);
      }
    }
    return fields;
  }

  /** The Milvus type of a field pagebeam fills. */
  enum Kind {
    VARCHAR(DataType.VarChar), INT64(DataType.Int64), FLOAT_VECTOR(DataType.FloatVector);

    /** The collection's type of a field of this kind. */
    final DataType type;

    Kind(DataType type) {
      this.type = type;
    }
  }

  static Kind kind(String field) {
    return field.equals(MilvusStore.VECTOR) ? Kind.FLOAT_VECTOR : field.equals("page") ? Kind.INT64 : Kind.VARCHAR;
  }

  /** Whether pagebeam fills the field. */
  static boolean fills(String field) {
    return BASE.contains(field) || (MilvusStore.OPTIONAL_FIELDS.contains(field) && !field.equals(MilvusStore.SPARSE));
  }

  static Object value(String field, VectorRecord r) {
    switch (field) {
      case MilvusStore.ID:
        return r.id();
      case MilvusStore.VECTOR:
        return r.vector();
      case "document_id":
        return r.documentId();
      case "content_hash":
        return r.contentHash();
      case "type":
        return r.type();
      case "model":
        return r.modelId();
      case "source":
        return clip(r.source(), PATH);
      case "ref":
        return clip(r.ref(), PATH);
      case "page":
        return (long) r.page();
      case "preview":
        return clip(r.preview(200), PREVIEW);
      case "text":
        return r.text() == null ? "" : clip(r.text(), TEXT);
      case "thumbnail":
        return r.thumbnail() == null ? "" : clip(r.thumbnail(), PATH);
      case "text_source":
        return r.textSource() == null ? "" : r.textSource();
      case "lexical":
        // the text's terms as the file sink's Lucene analyzer makes them; the server's BM25 reads them
        return clip(Bm25Index.terms(r.text()), TEXT);
      default:
        throw new IllegalArgumentException("pagebeam fills no Milvus field named '" + field + "'");
    }
  }

  /** At most {@code maxBytes} UTF-8 bytes of s (Milvus counts VARCHAR length in bytes), cut between code points. */
  static String clip(String s, int maxBytes) {
    if (s.length() * 3L <= maxBytes) {
      return s;
    }
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }
}

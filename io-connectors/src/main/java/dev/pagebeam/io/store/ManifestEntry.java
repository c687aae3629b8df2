package dev.pagebeam.io.store;

import dev.pagebeam.io.RecordSchemas;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/**
 * What a collection holds of one input document, as incremental ingest compares it: the document's
 * content hash (its document id), the fingerprint of the settings that shaped its vectors, and how
 * many vectors it has. One entry per document, beside the collection, never per vector.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class ManifestEntry implements Serializable {
  private static final long serialVersionUID = 1L;


  public final String source;
  public final String documentId;
  public final String settings;
  public final long vectors;

  /** The coder of manifest entries: Beam's schema coder over the public fields. */
  public static final Coder<ManifestEntry> CODER = RecordSchemas.coder(ManifestEntry.class);

  @SchemaCreate
  public ManifestEntry(String source, String documentId, String settings, long vectors) {
    this.source = Objects.requireNonNull(source);
    this.documentId = Objects.requireNonNull(documentId);
    this.settings = Objects.requireNonNull(settings);
    this.vectors = vectors;
  }

  public String source() {
    return source;
  }

  public String documentId() {
    return documentId;
  }

  public String settings() {
    return settings;
  }

  public long vectors() {
    return vectors;
  }

  /** The entry's id in the store: a hash of the source, so that any path fits a key field. */
  public String key() {
    return key(source);
  }

  public static String key(String source) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      StringBuilder s = new StringBuilder(32);
      for (int i = 0; i < 16; i++) {
        s.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
      }
      return s.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** True when the document and the settings are the ones this entry was written for. */
  public boolean matches(String documentId, String settings) {
    return this.documentId.equals(documentId) && this.settings.equals(settings);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ManifestEntry)) {
      return false;
    }
    ManifestEntry e = (ManifestEntry) o;
    return source.equals(e.source) && documentId.equals(e.documentId) && settings.equals(e.settings)
        && vectors == e.vectors;
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, documentId, settings, vectors);
  }

  @Override
  public String toString() {
    return source + " " + documentId.substring(0, Math.min(12, documentId.length())) + " " + settings + " " + vectors;
  }
}

package dev.pagebeam.io;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/** A record a sink could not write, and why. The pipeline turns these into dead letters. */
@DefaultSchema(JavaFieldSchema.class)
public final class SinkFailure implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String recordId;
  public final String source;
  public final String documentId;
  public final int page;
  public final String type;
  public final String reason;

  /** The coder: Beam's schema coder over the public fields. */
  public static final Coder<SinkFailure> CODER = RecordSchemas.coder(SinkFailure.class);

  @SchemaCreate
  public SinkFailure(String recordId, String source, String documentId, int page, String type, String reason) {
    this.recordId = Objects.requireNonNull(recordId);
    this.source = Objects.requireNonNull(source);
    this.documentId = Objects.requireNonNull(documentId);
    this.page = page;
    this.type = Objects.requireNonNull(type);
    this.reason = Objects.requireNonNull(reason);
  }

  public static SinkFailure of(VectorRecord r, String reason) {
    return new SinkFailure(r.id(), r.source(), r.documentId(), r.page(), r.type(), reason);
  }

  public String recordId() {
    return recordId;
  }

  public String source() {
    return source;
  }

  public String documentId() {
    return documentId;
  }

  public int page() {
    return page;
  }

  public String type() {
    return type;
  }

  public String reason() {
    return reason;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SinkFailure)) {
      return false;
    }
    SinkFailure f = (SinkFailure) o;
    return page == f.page && recordId.equals(f.recordId) && source.equals(f.source)
        && documentId.equals(f.documentId) && type.equals(f.type) && reason.equals(f.reason);
  }

  @Override
  public int hashCode() {
    return recordId.hashCode();
  }

  @Override
  public String toString() {
    return "SinkFailure[" + recordId + " " + source + "#page=" + page + ": " + reason + "]";
  }
}

package dev.pagebeam.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** A record a sink could not write, and why. The pipeline turns these into dead letters. */
@DefaultCoder(SinkFailure.FailureCoder.class)
public final class SinkFailure implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String recordId;
  private final String source;
  private final String documentId;
  private final int page;
  private final String type;
  private final String reason;

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

  /** Deterministic coder. */
  public static final class FailureCoder extends AtomicCoder<SinkFailure> {
    private static final Coder<String> STRING = StringUtf8Coder.of();

    public static FailureCoder of() {
      return new FailureCoder();
    }

    @Override
    public void encode(SinkFailure f, OutputStream out) throws IOException {
      STRING.encode(f.recordId, out);
      STRING.encode(f.source, out);
      STRING.encode(f.documentId, out);
      VarIntCoder.of().encode(f.page, out);
      STRING.encode(f.type, out);
      STRING.encode(f.reason, out);
    }

    @Override
    public SinkFailure decode(InputStream in) throws IOException {
      return new SinkFailure(STRING.decode(in), STRING.decode(in), STRING.decode(in), VarIntCoder.of().decode(in),
          STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}

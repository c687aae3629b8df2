package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.elements.PdfElement;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** An element and its vector. Image bytes are dropped: sinks need the metadata and the vector. */
@DefaultCoder(EmbeddedElement.EmbeddedCoder.class)
public final class EmbeddedElement implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PdfElement element;
  private final float[] vector;
  private final String modelId;

  public EmbeddedElement(PdfElement element, float[] vector, String modelId) {
    this.element = element.withoutImageBytes();
    this.vector = Objects.requireNonNull(vector);
    this.modelId = Objects.requireNonNull(modelId);
  }

  public PdfElement element() {
    return element;
  }

  public float[] vector() {
    return vector;
  }

  public String modelId() {
    return modelId;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EmbeddedElement)) {
      return false;
    }
    EmbeddedElement e = (EmbeddedElement) o;
    return element.equals(e.element) && Arrays.equals(vector, e.vector) && modelId.equals(e.modelId);
  }

  @Override
  public int hashCode() {
    return element.hashCode();
  }

  @Override
  public String toString() {
    return element + " -> " + vector.length + " dims (" + modelId + ")";
  }

  /** Element, model id, then the floats as raw IEEE 754 (compact and exact). */
  public static final class EmbeddedCoder extends AtomicCoder<EmbeddedElement> {
    public static EmbeddedCoder of() {
      return new EmbeddedCoder();
    }

    @Override
    public void encode(EmbeddedElement e, OutputStream out) throws IOException {
      PdfElement.ElementCoder.of().encode(e.element, out);
      StringUtf8Coder.of().encode(e.modelId, out);
      VarIntCoder.of().encode(e.vector.length, out);
      DataOutputStream data = new DataOutputStream(out);
      for (float f : e.vector) {
        data.writeFloat(f);
      }
      data.flush();
    }

    @Override
    public EmbeddedElement decode(InputStream in) throws IOException {
      PdfElement element = PdfElement.ElementCoder.of().decode(in);
      String model = StringUtf8Coder.of().decode(in);
      int n = VarIntCoder.of().decode(in);
      DataInputStream data = new DataInputStream(in);
      float[] vector = new float[n];
      for (int i = 0; i < n; i++) {
        vector[i] = data.readFloat();
      }
      return new EmbeddedElement(element, vector, model);
    }

    @Override
    public void verifyDeterministic() {}
  }
}

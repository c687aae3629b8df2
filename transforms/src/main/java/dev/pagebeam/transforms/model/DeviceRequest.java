package dev.pagebeam.transforms.model;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/** What {@code --device} asked for: auto, cpu, or cuda[:N]. */
public final class DeviceRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The three choices. */
  public enum Kind {
    AUTO,
    CPU,
    CUDA
  }

  private final Kind kind;
  private final int cudaDevice;

  private DeviceRequest(Kind kind, int cudaDevice) {
    this.kind = kind;
    this.cudaDevice = cudaDevice;
  }

  public static DeviceRequest parse(String value) {
    String v = Objects.requireNonNull(value, "device").trim().toLowerCase(Locale.ROOT);
    if (v.equals("auto")) {
      return new DeviceRequest(Kind.AUTO, 0);
    }
    if (v.equals("cpu")) {
      return new DeviceRequest(Kind.CPU, 0);
    }
    if (v.equals("cuda") || v.equals("gpu")) {
      return new DeviceRequest(Kind.CUDA, 0);
    }
    if (v.startsWith("cuda:")) {
      try {
        int n = Integer.parseInt(v.substring(5));
        if (n >= 0) {
          return new DeviceRequest(Kind.CUDA, n);
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException("--device=" + value + " is not a device: use auto, cpu, cuda or cuda:N");
  }

  public Kind kind() {
    return kind;
  }

  public int cudaDevice() {
    return cudaDevice;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceRequest && ((DeviceRequest) o).kind == kind && ((DeviceRequest) o).cudaDevice == cudaDevice;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + cudaDevice;
  }

  @Override
  public String toString() {
    return kind == Kind.CUDA ? "cuda:" + cudaDevice : kind.name().toLowerCase(Locale.ROOT);
  }
}

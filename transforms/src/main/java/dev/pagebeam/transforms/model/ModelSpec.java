package dev.pagebeam.transforms.model;

import java.io.Serializable;
import java.util.Objects;

/** Which model to load and how to run it: the key of the per-JVM model cache. */
public final class ModelSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ModelLocation location;
  private final DeviceRequest device;
  private final int cpuThreads;
  private final long cudaMemoryLimitBytes;

  public ModelSpec(ModelLocation location, DeviceRequest device, int cpuThreads, long cudaMemoryLimitBytes) {
    this.location = Objects.requireNonNull(location);
    this.device = Objects.requireNonNull(device);
    if (cpuThreads < 0) {
      throw new IllegalArgumentException("--cpuThreads=" + cpuThreads + " must be 0 (all cores) or more");
    }
    if (cudaMemoryLimitBytes < 0) {
      throw new IllegalArgumentException("--cudaMemoryLimitMb must be 0 (no limit) or more");
    }
    this.cpuThreads = cpuThreads;
    this.cudaMemoryLimitBytes = cudaMemoryLimitBytes;
  }

  public static ModelSpec cpu(ModelLocation location) {
    return new ModelSpec(location, DeviceRequest.parse("cpu"), 0, 0);
  }

  public ModelLocation location() {
    return location;
  }

  public DeviceRequest device() {
    return device;
  }

  /** Intra-op threads on the CPU; 0 means every core of the machine. */
  public int cpuThreads() {
    return cpuThreads == 0 ? Runtime.getRuntime().availableProcessors() : cpuThreads;
  }

  public long cudaMemoryLimitBytes() {
    return cudaMemoryLimitBytes;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModelSpec)) {
      return false;
    }
    ModelSpec s = (ModelSpec) o;
    return cpuThreads == s.cpuThreads && cudaMemoryLimitBytes == s.cudaMemoryLimitBytes
        && location.equals(s.location) && device.equals(s.device);
  }

  @Override
  public int hashCode() {
    return Objects.hash(location, device, cpuThreads, cudaMemoryLimitBytes);
  }

  @Override
  public String toString() {
    return location + " on " + device;
  }
}

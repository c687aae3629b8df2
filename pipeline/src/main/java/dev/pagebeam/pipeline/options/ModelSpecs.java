package dev.pagebeam.pipeline.options;

import dev.pagebeam.transforms.model.DeviceRequest;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelSpec;

/** The model a command's options name, with their device settings: one place for ingest, query, eval and reindex. */
public final class ModelSpecs {
  private ModelSpecs() {}

  /** The model of --model with the device options of {@code o}. */
  public static ModelSpec of(PagebeamOptions o) {
    return of(o, ModelLocation.parse(o.getModel()));
  }

  /** The model at {@code location} with the device options of {@code o}. */
  public static ModelSpec of(PagebeamOptions o, ModelLocation location) {
    if (o.getCudaMemoryLimitMb() < 0) {
      throw new IllegalArgumentException("--cudaMemoryLimitMb=" + o.getCudaMemoryLimitMb() + " must be 0 or more");
    }
    return new ModelSpec(location, DeviceRequest.parse(o.getDevice()), o.getCpuThreads(),
        o.getCudaMemoryLimitMb() * 1024L * 1024L);
  }
}

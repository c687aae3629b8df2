package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.core.PagebeamCounters;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/** Counters of the encode stage; several are SUMMARY keys. */
public final class EncodeCounters {
  public static final String ENCODED = "encoded_elements";
  public static final String TRUNCATED_CHUNKS = "truncated_chunks";
  public static final String IMAGES_WITHOUT_ENCODER = "images_without_encoder";
  public static final String MODEL_LOADS = "model_loads";
  public static final String BATCHES = "encode_batches";
  public static final String BATCH_SLOTS_USED = "batch_slots_used";
  public static final String BATCH_SLOTS = "batch_slots";
  public static final String ENCODE_FAILURES = "encode_failures";
  /** Elements routed to the encoder (the progress line's measure of what is left to encode). */
  public static final String ENCODER_INPUT = "encoder_input";

  static final Counter encoded = Metrics.counter(PagebeamCounters.NAMESPACE, ENCODED);
  static final Counter truncatedChunks = Metrics.counter(PagebeamCounters.NAMESPACE, TRUNCATED_CHUNKS);
  static final Counter imagesWithoutEncoder = Metrics.counter(PagebeamCounters.NAMESPACE, IMAGES_WITHOUT_ENCODER);
  static final Counter modelLoads = Metrics.counter(PagebeamCounters.NAMESPACE, MODEL_LOADS);
  static final Counter batches = Metrics.counter(PagebeamCounters.NAMESPACE, BATCHES);
  static final Counter batchSlotsUsed = Metrics.counter(PagebeamCounters.NAMESPACE, BATCH_SLOTS_USED);
  static final Counter batchSlots = Metrics.counter(PagebeamCounters.NAMESPACE, BATCH_SLOTS);
  static final Counter encodeFailures = Metrics.counter(PagebeamCounters.NAMESPACE, ENCODE_FAILURES);
  static final Counter encoderInput = Metrics.counter(PagebeamCounters.NAMESPACE, ENCODER_INPUT);

  /** Counters named {@code device:NAME}, one per device a model was loaded on (SUMMARY's device). */
  public static final String DEVICE_PREFIX = "device:";

  static Counter device(String name) {
    return Metrics.counter(PagebeamCounters.NAMESPACE, DEVICE_PREFIX + name);
  }

  /**
   * Counters named {@code encoder_jvm:PID-STARTMILLIS}, one per JVM that encoded a batch (SUMMARY's
   * encoder_jvms): independent of the model cache's own count of loads, which it checks.
   */
  public static final String JVM_PREFIX = "encoder_jvm:";

  static Counter thisJvm() {
    java.lang.management.RuntimeMXBean jvm = java.lang.management.ManagementFactory.getRuntimeMXBean();
    return Metrics.counter(PagebeamCounters.NAMESPACE, JVM_PREFIX + ProcessHandle.current().pid() + "-" + jvm.getStartTime());
  }

  private EncodeCounters() {}
}

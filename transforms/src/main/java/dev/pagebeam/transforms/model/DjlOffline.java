package dev.pagebeam.transforms.model;

/**
 * Puts DJL in offline mode before its first use. Without it DJL probes a cloud metadata address
 * and may try to download native libraries; pagebeam must never contact anything but the
 * addresses a user configures.
 */
public final class DjlOffline {
  private DjlOffline() {}

  public static void ensure() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    // The CPU tokenizer library is inside the jar; never fetch a CUDA flavour of it.
    if (System.getProperty("RUST_FLAVOR") == null && System.getenv("RUST_FLAVOR") == null) {
      System.setProperty("RUST_FLAVOR", "cpu");
    }
  }
}

package dev.pagebeam.transforms.model;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per {@link ModelSpec} per JVM, shared by every DoFn instance and thread, counted
 * by reference and closed when the last user lets go. Static mutable state in pagebeam is this,
 * {@code SecretRef}'s in-memory handles (command-line secrets, held by the launcher JVM only) and
 * the thread-numbering counters of the time-limited runners and the image decoding budget
 * ({@code DecodeBudget}); docs/architecture.md lists them. On Flink it lives once per job
 * classloader on each TaskManager, which is what a model's native memory should be scoped to.
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final Map<ModelSpec, Entry> MODELS = new HashMap<>();
  private static final AtomicLong LOADS = new AtomicLong();

  private ModelCache() {}

  private static final class Entry {
    final EmbeddingModel model;
    /** Whether some lease has reported this load yet (model_loads counts each load once). */
    final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();
    int users;

    Entry(EmbeddingModel model) {
      this.model = model;
    }
  }

  /** A use of a cached model; close it exactly once. */
  public static final class Lease implements AutoCloseable {
    private final ModelSpec spec;
    private final Entry entry;
    private final boolean loadedNow;
    private boolean closed;

    private Lease(ModelSpec spec, Entry entry, boolean loadedNow) {
      this.spec = spec;
      this.entry = entry;
      this.loadedNow = loadedNow;
    }

    public EmbeddingModel model() {
      return entry.model;
    }

    /** True for the one lease whose acquire actually loaded the model. */
    public boolean loadedNow() {
      return loadedNow;
    }

    /**
     * True once per load, for the first lease of any user that asks: the user that reports the load
     * (model_loads) is one that does work, whichever of the JVM's users loaded it.
     */
    public boolean takeLoadReport() {
      return entry.reported.compareAndSet(false, true);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release(spec);
      }
    }
  }

  /** Returns the cached model, loading it (once, whatever the number of callers) if needed. */
  public static synchronized Lease acquire(ModelSpec spec) throws IOException {
    Entry entry = MODELS.get(spec);
    boolean loaded = false;
    if (entry == null) {
      long started = System.nanoTime();
      entry = new Entry(EmbeddingModel.load(spec));
      MODELS.put(spec, entry);
      LOADS.incrementAndGet();
      loaded = true;
      EmbeddingModel m = entry.model;
      LOG.info("{}; model {} ({}, {} dims) loaded in {} ms", m.device().description(), m.manifest().id(),
          m.manifest().family().label(), m.dimension(), (System.nanoTime() - started) / 1_000_000);
    }
    entry.users++;
    return new Lease(spec, entry, loaded);
  }

  private static synchronized void release(ModelSpec spec) {
    Entry entry = MODELS.get(spec);
    if (entry == null) {
      return;
    }
    if (--entry.users == 0) {
      MODELS.remove(spec);
      entry.model.close();
      LOG.debug("model {} closed: no users left", spec);
    }
  }

  /** Loads since this JVM (or classloader) started. */
  public static long loads() {
    return LOADS.get();
  }

  /** Users of the model, or 0 when it is not loaded. */
  public static synchronized int users(ModelSpec spec) {
    Entry e = MODELS.get(spec);
    return e == null ? 0 : e.users;
  }
}

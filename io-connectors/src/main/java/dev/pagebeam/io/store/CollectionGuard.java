package dev.pagebeam.io.store;

import dev.pagebeam.io.DimensionMismatchException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dimension guard, run before the pipeline reads any PDF: creates the collection when it is
 * absent, and otherwise refuses a collection whose dimension (or recorded model) differs from the
 * model's, with one message that names both and the ways out.
 */
public final class CollectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionGuard.class);

  private CollectionGuard() {}

  /** Returns what it did: "created", "recreated" or "checked". */
  public static String prepare(CollectionAdmin store, String model, int dimension, boolean recreate) throws IOException {
    CollectionState state = store.describe();
    if (!state.exists()) {
      store.create(dimension, model);
      LOG.info("created {} for {} ({} dimensions, cosine)", store.describeTarget(), model, dimension);
      return "created";
    }
    if (recreate) {
      store.drop();
      store.create(dimension, model);
      LOG.warn("--recreate: dropped and recreated {} for {} ({} dimensions)", store.describeTarget(), model, dimension);
      return "recreated";
    }
    Integer existing = state.dimension();
    if (existing != null && existing != dimension) {
      throw DimensionMismatchException.of(store.describeTarget(), existing, state.model(), model, dimension);
    }
    if (state.incompatibility() != null) {
      throw new IllegalStateException("collection " + store.describeTarget() + " " + state.incompatibility()
          + ". Nothing was written. Write to a new collection, or pass --recreate to drop and recreate this one.");
    }
    if (existing == null) {
      try {
        existing = store.probeDimension(dimension);
      } catch (StoreException e) {
        if (!e.isDimensionMismatch()) {
          throw e;
        }
        throw new DimensionMismatchException("collection " + store.describeTarget() + " refuses " + dimension
            + "-dimension vectors of model " + model + " (" + e.getMessage() + "). "
            + DimensionMismatchException.waysOut(model));
      }
    }
    if (existing != dimension || state.model() != null && !state.model().equals(model)) {
      throw DimensionMismatchException.of(store.describeTarget(), existing, state.model(), model, dimension);
    }
    if (state.model() == null) {
      LOG.warn("{} has {} dimensions like model {} but records no model (not created by pagebeam): writing into it",
          store.describeTarget(), existing, model);
    }
    return "checked";
  }
}

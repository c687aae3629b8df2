package dev.pagebeam.io.store;

import dev.pagebeam.io.VectorRecord;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;

/**
 * The collection itself: what it is, making and dropping it, and what it holds. The dimension guard
 * ({@link CollectionGuard}) needs only this role; every sink has it.
 */
public interface CollectionAdmin extends StoreHandle {
  /** What the collection is now. */
  CollectionState describe() throws IOException;

  /**
   * Creates the collection for vectors of {@code dimension} from {@code model}, with the cosine
   * metric, an index and the scalar fields of {@link VectorRecord}.
   */
  void create(int dimension, String model) throws IOException;

  /** Drops the collection (for --recreate). */
  void drop() throws IOException;

  /**
   * Makes the collection's dimension known when the server only fixes it at the first write
   * (Chroma): writes and removes one probe vector. Returns the dimension the server then reports,
   * or throws {@link StoreException} naming the server's refusal.
   */
  int probeDimension(int dimension) throws IOException;

  /** Records in the collection (for tests and the count check). */
  long count() throws IOException;

  /** Which of {@code ids} the collection holds (asked in slices; for checks of what was written). */
  Set<String> existing(Collection<String> ids) throws IOException;
}

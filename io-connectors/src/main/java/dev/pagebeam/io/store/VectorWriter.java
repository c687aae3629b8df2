package dev.pagebeam.io.store;

import dev.pagebeam.io.VectorRecord;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Writing records one request at a time, as {@link WriteToVectorStore} and the incremental diff do.
 * The file sink has no such role: its shards are written by its Beam transform.
 */
public interface VectorWriter extends StoreHandle {
  /** Inserts or replaces records by id: a rerun never duplicates. */
  void upsert(List<VectorRecord> records) throws IOException;

  /**
   * Deletes every record of these documents (by the records' source field), in as few requests as
   * the server takes. A rerun after a share of a large corpus changed deletes thousands of
   * documents: a blocking request each would be most of its time.
   */
  void deleteDocuments(Collection<String> sources) throws IOException;
}

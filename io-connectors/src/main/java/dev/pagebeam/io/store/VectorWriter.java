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

  /** Deletes every record of the document read from {@code source} (by the records' source field). */
  void deleteDocument(String source) throws IOException;

  /**
   * Deletes every record of these documents, in as few requests as the server takes (a store
   * overrides this; the default is a request per document). A rerun after a share of a large
   * corpus changed deletes thousands of documents: a blocking request each is most of its time.
   */
  default void deleteDocuments(Collection<String> sources) throws IOException {
    for (String source : sources) {
      deleteDocument(source);
    }
  }
}

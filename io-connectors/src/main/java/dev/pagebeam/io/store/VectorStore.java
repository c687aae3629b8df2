package dev.pagebeam.io.store;

import dev.pagebeam.io.VectorRecord;
import java.io.IOException;
import java.util.List;

/**
 * One collection in a vector database, as the sinks and the query command need it. Implementations
 * hold a client connection; close them.
 */
public interface VectorStore extends AutoCloseable {

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

  /** Inserts or replaces records by id: a rerun never duplicates. */
  void upsert(List<VectorRecord> records) throws IOException;

  /** Records in the collection (for tests and the count check). */
  long count() throws IOException;

  /** Which of {@code ids} the collection holds (asked in slices; for checks of what was written). */
  java.util.Set<String> existing(java.util.Collection<String> ids) throws IOException;

  /** Whether this store keeps a manifest for incremental ingest (Chroma and Milvus do; files do not). */
  default boolean keepsManifest() {
    return false;
  }

  /** The manifest entries of those of {@code sources} that have one, by source. */
  default java.util.Map<String, ManifestEntry> manifestEntries(java.util.Collection<String> sources)
      throws IOException {
    throw new UnsupportedOperationException(describeTarget() + " keeps no manifest");
  }

  /** Writes (replaces) manifest entries. */
  default void putManifestEntries(List<ManifestEntry> entries) throws IOException {
    throw new UnsupportedOperationException(describeTarget() + " keeps no manifest");
  }

  /** Removes the manifest entries of {@code sources}. */
  default void removeManifestEntries(java.util.Collection<String> sources) throws IOException {
    throw new UnsupportedOperationException(describeTarget() + " keeps no manifest");
  }

  /** Every manifest entry, in pages; for --prune, which needs the documents no longer in the input. */
  default void forEachManifestEntry(java.util.function.Consumer<ManifestEntry> each) throws IOException {
    throw new UnsupportedOperationException(describeTarget() + " keeps no manifest");
  }

  /** Deletes every record of the document read from {@code source} (by the records' source field). */
  default void deleteDocument(String source) throws IOException {
    throw new UnsupportedOperationException(describeTarget() + " cannot delete by document");
  }

  /**
   * The ids and texts of up to {@code n} text chunks, picked across the first {@code chunks} of
   * them (for the reindex's check that known records find themselves).
   */
  default java.util.Map<String, String> sampleTexts(int n, long chunks) throws IOException {
    throw new UnsupportedOperationException(describeTarget() + " cannot sample records");
  }

  /** The versioned collections beside this one and the switch between them (Chroma and Milvus). */
  default CollectionVersions versions() {
    throw new UnsupportedOperationException(describeTarget() + " has no versioned collections");
  }

  /** The {@code k} nearest records to {@code vector}, best first. */
  List<SearchHit> search(float[] vector, int k) throws IOException;

  /** Whether {@link #searchText} ranks the whole collection by BM25 (the file sink; Milvus collections made with it). */
  default boolean hasLexical() {
    return false;
  }

  /** Whether {@link #hybridSearch} works here. */
  default boolean hasHybrid() {
    return hasLexical();
  }

  /** Why {@link #hasLexical} or {@link #hasHybrid} is false: what the user can do. */
  default String noLexicalReason() {
    return describeTarget() + " has no full-text index";
  }

  /** The {@code k} best records for {@code text} by BM25 over their texts, best first. */
  default List<SearchHit> searchText(String text, int k) throws IOException {
    throw new UnsupportedOperationException(noLexicalReason());
  }

  /**
   * Dense and BM25 results fused by reciprocal rank ({@link Fusion}), each list {@link
   * Fusion#depth} deep; {@code vector} is the query embedded with the model's query prefix, {@code
   * text} the query as typed.
   */
  default List<SearchHit> hybridSearch(float[] vector, String text, int k) throws IOException {
    int depth = Fusion.depth(k);
    return Fusion.rrf(List.of(search(vector, depth), searchText(text, depth)), k);
  }

  /** Where this is, for messages: {@code chroma://127.0.0.1:8000/manuals}. Never includes secrets. */
  String describeTarget();

  @Override
  void close();
}

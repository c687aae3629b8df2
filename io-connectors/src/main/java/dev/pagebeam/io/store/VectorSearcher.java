package dev.pagebeam.io.store;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Searching a collection: dense, and where the store has a full-text index, BM25 and hybrid. */
public interface VectorSearcher extends StoreHandle {
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
   * The query's two rankings, each {@code depth} deep: by {@code vector} (the query embedded with
   * the model's query prefix) and by BM25 over the texts ({@code text}, the query as typed).
   */
  default Rankings rankings(float[] vector, String text, int depth) throws IOException {
    return new Rankings(search(vector, depth), searchText(text, depth));
  }

  /** The {@code k} best records of the query's two rankings fused by {@code fusion}. */
  default List<SearchHit> hybridSearch(float[] vector, String text, int k, Fusion fusion) throws IOException {
    return fusion.fuse(rankings(vector, text, fusion.depth(k)), k);
  }

  /**
   * The ids and texts of up to {@code n} text chunks, picked across the first {@code chunks} of
   * them (for the reindex's check that known records find themselves).
   */
  Map<String, String> sampleTexts(int n, long chunks) throws IOException;
}

package dev.pagebeam.io.store;

/**
 * One collection in a vector database (Chroma, Milvus) with every role: admin and guard, writing
 * record by record, the incremental manifest, search, and the versions that {@code reindex}
 * switches between. Implementations hold a client connection; close them. Code that needs one role
 * takes that role's type.
 */
public interface VectorStore extends SinkCollection, VectorWriter, ManifestStore {
  /** The versioned collections beside this one and the switch between them. */
  CollectionVersions versions();
}

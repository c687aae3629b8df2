package dev.pagebeam.io.store;

import java.io.IOException;
import java.io.Serializable;

/** How to reach one collection: serializable, so workers open their own connections. */
public interface StoreConnector extends Serializable {
  VectorStore open() throws IOException;

  /** {@code chroma://127.0.0.1:8000/manuals}; never includes a token. */
  String describeTarget();
}

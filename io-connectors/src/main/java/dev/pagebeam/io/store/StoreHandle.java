package dev.pagebeam.io.store;

/** An open handle on one collection: every role of a store has a name for messages and is closed. */
public interface StoreHandle extends AutoCloseable {
  /** Where this is, for messages: {@code chroma://127.0.0.1:8000/manuals}. Never includes secrets. */
  String describeTarget();

  @Override
  void close();
}

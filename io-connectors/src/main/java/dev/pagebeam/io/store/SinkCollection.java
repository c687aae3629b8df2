package dev.pagebeam.io.store;

/**
 * What every sink's collection answers, the file sink's included: the guard's questions and
 * searches. {@code query}, {@code eval} and the dimension guard need no more.
 */
public interface SinkCollection extends CollectionAdmin, VectorSearcher {}

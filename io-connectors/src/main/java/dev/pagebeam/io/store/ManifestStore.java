package dev.pagebeam.io.store;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The incremental manifest kept beside a database collection: one {@link ManifestEntry} per
 * document. (The file sink keeps its manifest in files beside its shards.)
 */
public interface ManifestStore extends StoreHandle {
  /** The manifest entries of those of {@code sources} that have one, by source. */
  Map<String, ManifestEntry> manifestEntries(Collection<String> sources) throws IOException;

  /** Writes (replaces) manifest entries. */
  void putManifestEntries(List<ManifestEntry> entries) throws IOException;

  /** Removes the manifest entries of {@code sources}. */
  void removeManifestEntries(Collection<String> sources) throws IOException;

  /** Every manifest entry, in pages; for --prune, which needs the documents no longer in the input. */
  void forEachManifestEntry(Consumer<ManifestEntry> each) throws IOException;
}

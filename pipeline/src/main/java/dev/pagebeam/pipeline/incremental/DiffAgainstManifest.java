package dev.pagebeam.pipeline.incremental;

import dev.pagebeam.io.store.ManifestEntry;
import dev.pagebeam.io.store.RetryPolicy;
import dev.pagebeam.io.store.StoreConnector;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The incremental diff: the matched files against the manifest of what the sink already holds.
 * Unchanged files are dropped (their ledger lines say {@code skipped}), the old records of changed
 * ones are cleared, and with {@code prune} the documents no input file is any more are removed.
 * A database sink keeps its manifest in the store ({@link Incremental}); the file sink keeps it
 * beside its shards and carries the vector lines of unchanged files into the new shards
 * ({@link FileIncremental}).
 *
 * <p>The output holds {@link #TO_SPLIT} and {@link #LEDGER_LINES}, and for the file sink {@link
 * #CARRIED}. {@link #writeManifest} writes the new manifest from the entries of the files this run
 * indexed completely.
 */
public final class DiffAgainstManifest extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  /** The files to split: new, changed, or all of them on a full run. */
  public static final TupleTag<MatchResult.Metadata> TO_SPLIT = new TupleTag<MatchResult.Metadata>() {};
  /** Ledger lines of the files this diff settled: skipped, removed. */
  public static final TupleTag<String> LEDGER_LINES = new TupleTag<String>() {};
  /** File sink only: the previous vector lines of unchanged documents, for the new shards. */
  public static final TupleTag<String> CARRIED = new TupleTag<String>() {};
  /** File sink only: the manifest entries of unchanged documents, for the new manifest. */
  static final TupleTag<ManifestEntry> KEPT = new TupleTag<ManifestEntry>() {};

  /** What both kinds of diff need: which settings shaped the vectors, and what to do. */
  public static final class Settings implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final String fingerprint;
    final boolean full;
    final boolean prune;
    final int hashSeconds;
    final long fileCount;

    /**
     * @param fingerprint the settings that shape the vectors ({@link Incremental#fingerprint})
     * @param full re-split every file, whatever the manifest says
     * @param prune remove the documents no input file is any more
     * @param hashSeconds the time limit of hashing one file
     * @param fileCount the number of documents on the larger side, input files or previous manifest
     *     entries (sizes the keys of the manifest check and of --prune)
     */
    public Settings(String fingerprint, boolean full, boolean prune, int hashSeconds, long fileCount) {
      this.fingerprint = fingerprint;
      this.full = full;
      this.prune = prune;
      this.hashSeconds = hashSeconds;
      this.fileCount = fileCount;
    }
  }

  private final Settings settings;
  /** A database sink's store; null for the file sink. */
  private final StoreConnector store;
  private final RetryPolicy retry;
  private final boolean newCollection;
  /** The file sink's directory; null for a database sink. */
  private final String directory;
  private final boolean previousRun;
  private final String output;

  private DiffAgainstManifest(Settings settings, StoreConnector store, RetryPolicy retry, boolean newCollection,
      String directory, boolean previousRun, String output) {
    this.settings = settings;
    this.store = store;
    this.retry = retry;
    this.newCollection = newCollection;
    this.directory = directory;
    this.previousRun = previousRun;
    this.output = output;
  }

  /**
   * Against a database sink's manifest; {@code newCollection} when the guard created the
   * collection in this run (nothing to look up).
   */
  public static DiffAgainstManifest inStore(StoreConnector store, RetryPolicy retry, boolean newCollection,
      Settings settings) {
    return new DiffAgainstManifest(settings, store, retry, newCollection, null, false, null);
  }

  /**
   * Against the file sink's manifest in {@code directory}, stashed by {@link FileIncremental#stash}
   * ({@code previousRun} false when there was none); the image files of dropped documents under
   * {@code output} are deleted.
   */
  public static DiffAgainstManifest inFiles(String directory, boolean previousRun, String output, Settings settings) {
    return new DiffAgainstManifest(settings, null, null, false, directory, previousRun, output);
  }

  public boolean carriesVectors() {
    return directory != null;
  }

  @Override
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    int keys = Incremental.lookupKeys(settings.fileCount);
    if (directory != null) {
      FileIncremental.Checked checked = FileIncremental.check(files.getPipeline().begin(), files, directory,
          previousRun, settings.fingerprint, settings.prune, settings.hashSeconds, keys);
      PCollection<String> carried = FileIncremental.carried(files.getPipeline().begin(), directory, previousRun,
          checked.dropped, output);
      return PCollectionTuple.of(TO_SPLIT, checked.toSplit).and(LEDGER_LINES, checked.ledgerLines)
          .and(CARRIED, carried).and(KEPT, checked.kept);
    }
    Incremental.Checked checked = Incremental.check(files, store, settings.fingerprint, settings.full, newCollection,
        retry, settings.hashSeconds, keys);
    List<PCollection<String>> lines = new ArrayList<>(List.of(checked.ledgerLines));
    if (settings.prune) {
      lines.add(Incremental.prune(files.getPipeline().begin(), files, store, retry, keys));
    }
    return PCollectionTuple.of(TO_SPLIT, checked.toSplit)
        .and(LEDGER_LINES, PCollectionList.of(lines).apply("IncrementalLines", Flatten.pCollections()));
  }

  /**
   * Writes the new manifest: {@code indexed} (the entries of the files this run indexed
   * completely) and, for the file sink, the entries this diff kept.
   */
  public PDone writeManifest(PCollectionTuple diff, PCollection<ManifestEntry> indexed) {
    if (directory != null) {
      return indexed.apply("WriteManifest", FileIncremental.writeManifest(directory, diff.get(KEPT)));
    }
    return indexed.apply("WriteManifest", Incremental.writeManifest(store, retry));
  }
}

package dev.pagebeam.pipeline.incremental;

import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.transforms.core.PagebeamCounters;
import dev.pagebeam.transforms.core.Hashes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.store.ManifestEntry;
import dev.pagebeam.io.store.RetryPolicy;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.transforms.core.TimeLimitedCalls;
import dev.pagebeam.transforms.split.SplitCounters;
import dev.pagebeam.transforms.split.SplitSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Incremental ingest into Chroma or Milvus. Beside the collection, the store keeps a manifest: one
 * entry per document (its source, content hash, the fingerprint of the settings that shaped its
 * records, and its vector count), written once the document's vectors are all acknowledged. Before
 * a file is parsed its content is hashed and looked up, 200 files per request: a document whose
 * hash and settings match is skipped; a changed one has its old records deleted first; with
 * --prune, the documents in the manifest but no longer in the input are deleted.
 */
public final class Incremental {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Incremental.class);
  public static final String DOCUMENTS_SKIPPED = "documents_skipped";
  public static final String DOCUMENTS_ADDED = "documents_added";
  public static final String DOCUMENTS_UPDATED = "documents_updated";
  public static final String DOCUMENTS_REMOVED = "documents_removed";

  static final String UNCHANGED = "unchanged";
  static final String REMOVED = "removed";

  /** The counters of both manifest checks, the stores' and the file sink's. */
  static final Counter SKIPPED = Metrics.counter(PagebeamCounters.NAMESPACE, DOCUMENTS_SKIPPED);
  static final Counter ADDED = Metrics.counter(PagebeamCounters.NAMESPACE, DOCUMENTS_ADDED);
  static final Counter UPDATED = Metrics.counter(PagebeamCounters.NAMESPACE, DOCUMENTS_UPDATED);
  static final Counter REMOVED_DOCS = Metrics.counter(PagebeamCounters.NAMESPACE, DOCUMENTS_REMOVED);
  /** A skipped file is never split, so the check counts it as seen. */
  static final Counter SEEN = Metrics.counter(PagebeamCounters.NAMESPACE, SplitCounters.FILES_SEEN);

  /** Files per manifest lookup: one request for 200 documents costs less than parsing one. */
  static final int LOOKUP_BATCH = 200;

  /**
   * Keys of the manifest check (which also hashes every file): one per full lookup batch, at least
   * 16. The check then spreads over as many workers as the corpus has batches (a fixed 16 capped it
   * at 16 on any cluster), and every key still fills its requests. Beam's {@code withShardedKey()}
   * was tried and dropped: it makes one key per upstream worker thread, which a cluster hashes onto
   * its slots unevenly (about two thirds of them get work).
   */
  static int lookupKeys(long files) {
    return (int) Math.max(16, Math.min(1 << 20, files / LOOKUP_BATCH));
  }

  private Incremental() {}

  /**
   * The fingerprint of everything that shapes a document's records besides its bytes: the model's
   * id, the split settings that change records ({@link SplitSettings#fingerprint}: chunking, images,
   * OCR) and where image files are written (records point at them). A change in any of them
   * re-ingests every document; moving the model's folder, a memory or time limit, or a task size does not.
   */
  public static String fingerprint(String model, SplitSettings settings, String output, boolean imageFiles) {
    return Hashes.sha256Hex(model + "\n" + settings.fingerprint() + "\n" + (imageFiles ? output : "-"))
        .substring(0, 16);
  }

  /** What the manifest check makes of the matched files. */
  static final class Checked {
    static final TupleTag<MatchResult.Metadata> TO_SPLIT = new TupleTag<MatchResult.Metadata>() {};
    static final TupleTag<String> LEDGER_LINES = new TupleTag<String>() {};
    public final PCollection<MatchResult.Metadata> toSplit;
    public final PCollection<String> ledgerLines;

    Checked(PCollectionTuple t) {
      this.toSplit = t.get(TO_SPLIT);
      this.ledgerLines = t.get(LEDGER_LINES);
    }
  }

  /** Drops unchanged files (their ledger lines say so) and clears the old records of changed ones. */
  static Checked check(PCollection<MatchResult.Metadata> files, StoreConnector store, String fingerprint,
      boolean full, boolean newCollection, RetryPolicy retry, int hashSeconds, int keys) {
    PCollectionTuple t = files
        .apply("KeyForLookup", WithKeys.of((MatchResult.Metadata m) -> bucket(m.resourceId().toString(), keys))
            .withKeyType(TypeDescriptors.integers()))
        .apply("LookupBatches", GroupIntoBatches.ofSize(LOOKUP_BATCH))
        .apply("CheckManifest", ParDo.of(new CheckFn(store, fingerprint, full, newCollection, retry, hashSeconds))
            .withOutputTags(Checked.TO_SPLIT, TupleTagList.of(Checked.LEDGER_LINES)));
    t.get(Checked.TO_SPLIT).setCoder(files.getCoder());
    return new Checked(t);
  }

  static final class CheckFn extends DoFn<KV<Integer, Iterable<MatchResult.Metadata>>, MatchResult.Metadata> {
    private final StoreConnector connector;
    private final String fingerprint;
    private final boolean full;
    private final boolean newCollection;
    private final RetryPolicy retry;
    private final int hashSeconds;
    private transient VectorStore store;
    private transient TimeLimitedCalls reads;

    CheckFn(StoreConnector connector, String fingerprint, boolean full, boolean newCollection, RetryPolicy retry,
        int hashSeconds) {
      this.connector = connector;
      this.fingerprint = fingerprint;
      this.full = full;
      this.newCollection = newCollection;
      this.retry = retry;
      this.hashSeconds = hashSeconds;
    }

    @Setup
    public void setup() throws IOException {
      store = connector.open();
      reads = new TimeLimitedCalls("HashFiles");
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<MatchResult.Metadata>> batch, MultiOutputReceiver out)
        throws IOException {
      List<MatchResult.Metadata> files = new ArrayList<>();
      List<String> sources = new ArrayList<>();
      for (MatchResult.Metadata m : batch.getValue()) {
        files.add(m);
        sources.add(m.resourceId().toString());
      }
      Map<String, ManifestEntry> known = retry.run("reading the manifest of " + connector.describeTarget(),
          () -> store.manifestEntries(sources));
      // Decide for every file first, then clear the old records of all that are split again in
      // one batched delete, and only then count them and hand them to the split: their new records
      // are written after the delete on any runner, however soon a runner passes them on. A file
      // that two overlapping patterns matched twice is checked once.
      List<MatchResult.Metadata> toSplit = new ArrayList<>();
      List<String> stale = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      long added = 0;
      long updated = 0;
      for (MatchResult.Metadata m : files) {
        String source = m.resourceId().toString();
        if (!seen.add(source)) {
          continue;
        }
        ManifestEntry entry = known.get(source);
        if (entry == null) {
          // A run that failed part-way leaves records without an entry; if the file has changed
          // since, they would stay as orphans. A collection this run created holds none.
          if (!newCollection) {
            stale.add(source);
          }
          added++;
          toSplit.add(m);
          continue;
        }
        String hash;
        try {
          hash = sha256(m, reads, hashSeconds);
        } catch (IOException unreadable) {
          // the split reads it again and makes the dead letter that says why
          updated++;
          toSplit.add(m);
          continue;
        }
        if (!full && entry.matches(hash, fingerprint)) {
          SKIPPED.inc();
          SEEN.inc();
          out.get(Checked.LEDGER_LINES).output(line(source, hash, UNCHANGED, entry.vectors()));
          continue;
        }
        stale.add(source);
        updated++;
        toSplit.add(m);
      }
      if (!stale.isEmpty()) {
        retry.run("deleting the old records of " + stale.size() + " documents", () -> {
          store.deleteDocuments(stale);
          return null;
        });
      }
      ADDED.inc(added);
      UPDATED.inc(updated);
      toSplit.forEach(out.get(Checked.TO_SPLIT)::output);
    }

    @Teardown
    public void teardown() {
      if (store != null) {
        store.close();
      }
      if (reads != null) {
        reads.close();
      }
    }
  }

  /**
   * {@link #sha256(MatchResult.Metadata)} within {@code seconds}: a file whose read hangs (a hung
   * mount) or fails is an IOException here, and the split, which reads it under the same limit, makes
   * its dead letter.
   */
  static String sha256(MatchResult.Metadata m, TimeLimitedCalls reads, int seconds) throws IOException {
    try {
      return reads.call(() -> sha256(m), seconds);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("hashing " + m.resourceId() + " " + e.getMessage(), e);
    }
  }

  /** The document id the split gives a file: the SHA-256 of its bytes. */
  static String sha256(MatchResult.Metadata m) throws IOException {
    MessageDigest digest = Hashes.newSha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Channels.newInputStream(FileSystems.open(m.resourceId()))) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return Hashes.hex(digest.digest(), 32);
  }

  static String line(String source, String documentId, String status, long vectors) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("source", source);
    n.put("document_id", documentId);
    n.put("status", status);
    n.put("vectors", vectors);
    return Json.write(n);
  }

  /** Writes manifest entries to the store's manifest. */
  static PTransform<PCollection<ManifestEntry>, PDone> writeManifest(StoreConnector store, RetryPolicy retry) {
    return new PTransform<PCollection<ManifestEntry>, PDone>() {
      @Override
      public PDone expand(PCollection<ManifestEntry> entries) {
        entries.apply("ToStoreManifest", ParDo.of(new WriteManifestFn(store, retry)));
        return PDone.in(entries.getPipeline());
      }
    };
  }

  /** Writes the manifest entries of the documents this run indexed completely. */
  static final class WriteManifestFn extends DoFn<ManifestEntry, Void> {
    private final StoreConnector connector;
    private final RetryPolicy retry;
    private transient VectorStore store;
    private transient List<ManifestEntry> pending;

    WriteManifestFn(StoreConnector connector, RetryPolicy retry) {
      this.connector = connector;
      this.retry = retry;
    }

    @Setup
    public void setup() throws IOException {
      store = connector.open();
    }

    @StartBundle
    public void start() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element ManifestEntry entry) {
      pending.add(entry);
      if (pending.size() >= 500) {
        flush();
      }
    }

    @FinishBundle
    public void finish() {
      flush();
    }

    private void flush() {
      if (pending.isEmpty()) {
        return;
      }
      List<ManifestEntry> entries = pending;
      pending = new ArrayList<>();
      try {
        retry.run("writing " + entries.size() + " manifest entries to " + connector.describeTarget(), () -> {
          store.putManifestEntries(entries);
          return null;
        });
      } catch (IOException e) {
        // The vectors are written; only the memory of it is lost, and the next run re-ingests these.
        LOG.warn("{} manifest entries could not be written ({}); the next run ingests those documents again",
            entries.size(), e.getMessage());
      }
    }

    @Teardown
    public void teardown() {
      if (store != null) {
        store.close();
      }
    }
  }

  /**
   * --prune: the documents the manifest holds that no file of the input is, with their records and
   * entries deleted; their ledger lines say {@code removed}. Input and manifest meet under a key per
   * {@code keys}-th of the sources (as the manifest check's), not a key per document: a runner pays
   * per key, and the removals of a key go to the store in batches.
   */
  static PCollection<String> prune(PBegin begin, PCollection<MatchResult.Metadata> files, StoreConnector connector,
      RetryPolicy retry, int keys) {
    TupleTag<String> inInput = new TupleTag<>();
    TupleTag<ManifestEntry> inManifest = new TupleTag<>();
    PCollection<KV<Integer, String>> input = files.apply("InputSources", ParDo.of(
        new DoFn<MatchResult.Metadata, KV<Integer, String>>() {
          @ProcessElement
          public void process(@Element MatchResult.Metadata m, OutputReceiver<KV<Integer, String>> out) {
            String source = m.resourceId().toString();
            out.output(KV.of(bucket(source, keys), source));
          }
        }));
    PCollection<KV<Integer, ManifestEntry>> manifest = begin
        .apply("ManifestRoot", org.apache.beam.sdk.transforms.Create.of(connector.describeTarget()))
        .apply("ListManifest", ParDo.of(new ListManifestFn(connector, keys)))
        .setCoder(org.apache.beam.sdk.coders.KvCoder.of(org.apache.beam.sdk.coders.VarIntCoder.of(),
            ManifestEntry.CODER));
    return KeyedPCollectionTuple.of(inInput, input).and(inManifest, manifest)
        .apply("MatchManifest", CoGroupByKey.create())
        .apply("RemoveGone", ParDo.of(new RemoveGoneFn(connector, retry, inInput, inManifest)));
  }

  /** The key of a source among {@code keys}: the same for a file and for its manifest entry. */
  static int bucket(String source, int keys) {
    return Math.floorMod(source.hashCode(), keys);
  }

  static final class ListManifestFn extends DoFn<String, KV<Integer, ManifestEntry>> {
    private final StoreConnector connector;
    private final int keys;

    ListManifestFn(StoreConnector connector, int keys) {
      this.connector = connector;
      this.keys = keys;
    }

    @ProcessElement
    public void process(OutputReceiver<KV<Integer, ManifestEntry>> out) throws IOException {
      // streamed page by page, never held whole: a failure fails the bundle, and the runner retries it
      try (VectorStore store = connector.open()) {
        store.forEachManifestEntry(e -> out.output(KV.of(bucket(e.source(), keys), e)));
      }
    }
  }

  static final class RemoveGoneFn extends DoFn<KV<Integer, CoGbkResult>, String> {
    /** Documents per delete: as many as one request of each store takes. */
    static final int REMOVE_BATCH = 100;
    private final StoreConnector connector;
    private final RetryPolicy retry;
    private final TupleTag<String> inInput;
    private final TupleTag<ManifestEntry> inManifest;
    private transient VectorStore store;

    RemoveGoneFn(StoreConnector connector, RetryPolicy retry, TupleTag<String> inInput,
        TupleTag<ManifestEntry> inManifest) {
      this.connector = connector;
      this.retry = retry;
      this.inInput = inInput;
      this.inManifest = inManifest;
    }

    @Setup
    public void setup() throws IOException {
      store = connector.open();
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> joined, OutputReceiver<String> out) throws IOException {
      // The input's sources of this key (about a lookup batch) are held; the manifest's entries
      // stream past them, and those gone are removed a batch at a time.
      Set<String> present = new HashSet<>();
      joined.getValue().getAll(inInput).forEach(present::add);
      List<ManifestEntry> gone = new ArrayList<>();
      for (ManifestEntry entry : joined.getValue().getAll(inManifest)) {
        if (!present.contains(entry.source())) {
          gone.add(entry);
          if (gone.size() == REMOVE_BATCH) {
            remove(gone, out);
          }
        }
      }
      remove(gone, out);
    }

    private void remove(List<ManifestEntry> gone, OutputReceiver<String> out) throws IOException {
      if (gone.isEmpty()) {
        return;
      }
      List<String> sources = new ArrayList<>();
      gone.forEach(e -> sources.add(e.source()));
      retry.run("removing " + sources.size() + " documents that are no longer in the input", () -> {
        store.deleteDocuments(sources);
        store.removeManifestEntries(sources);
        return null;
      });
      for (ManifestEntry e : gone) {
        REMOVED_DOCS.inc();
        out.output(line(e.source(), e.documentId(), REMOVED, 0));
      }
      gone.clear();
    }

    @Teardown
    public void teardown() {
      if (store != null) {
        store.close();
      }
    }
  }
}

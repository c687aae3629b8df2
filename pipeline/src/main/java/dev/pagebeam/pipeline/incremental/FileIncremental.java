package dev.pagebeam.pipeline.incremental;

import dev.pagebeam.pipeline.output.OutputLayout;
import dev.pagebeam.pipeline.output.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.store.ManifestEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import dev.pagebeam.transforms.core.TimeLimitedCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental ingest into the file sink. Beside {@code DIR/vectors/} the sink keeps a manifest of
 * its own, {@code DIR/manifest/manifest-*.jsonl}: one entry per document, as a store keeps. A rerun
 * first moves the previous shards aside into {@code DIR/.previous/} (file renames, no copying), then
 * the pipeline joins the input files with the previous manifest by source: an unchanged document is
 * skipped and its previous vector lines are copied into the new shards as they are; a changed one is
 * split and encoded again and its previous lines are left behind (with their image files); with
 * --prune, so is a document no longer in the input (without it, it is kept). The new manifest is
 * the kept entries plus those of the documents this run indexed completely. The stash is deleted
 * once the run has succeeded; a run that dies leaves it, and the next run starts again from it.
 * No vector line is shuffled: only the sources of the dropped documents travel, as a side input.
 */
public final class FileIncremental {
  private static final Logger LOG = LoggerFactory.getLogger(FileIncremental.class);
  static final String STASH = ".previous";
  /** Written once every previous shard is in the stash: from then on the stash is the previous state. */
  static final String STASH_COMPLETE = "_complete";
  static final Pattern MANIFEST_SHARD = Pattern.compile("manifest-\\d{5}-of-\\d{5}\\.jsonl");
  static final Pattern VECTOR_SHARD = Pattern.compile("vectors-\\d{5}-of-\\d{5}\\.jsonl");

  private FileIncremental() {}

  /**
   * Before the pipeline: moves the previous run's vector and manifest shards of {@code dir} into the
   * stash, or finds the stash an unfinished run left. Returns whether there is a previous state to
   * be incremental against. With {@code full}, the stash is removed and there is none.
   */
  public static boolean stash(String dir, boolean full) throws IOException {
    if (full) {
      delete(dir + "/" + STASH + "/**");
      return false;
    }
    if (!match(dir + "/" + STASH + "/" + STASH_COMPLETE).isEmpty()) {
      LOG.warn("an earlier run into {} did not finish: this run starts again from the state before it ({}/{})",
          dir, dir, STASH);
      return true;
    }
    List<MatchResult.Metadata> manifest = shards(dir + "/manifest/*", MANIFEST_SHARD);
    boolean started = !match(dir + "/" + STASH + "/**").isEmpty();
    if (manifest.isEmpty() && !started) {
      return false;
    }
    move(manifest, dir + "/" + STASH + "/manifest/");
    move(shards(dir + "/vectors/*", VECTOR_SHARD), dir + "/" + STASH + "/vectors/");
    ResourceId complete = FileSystems.matchNewResource(dir + "/" + STASH + "/" + STASH_COMPLETE, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(complete, "text/plain"))) {
      out.write("the previous state of the file sink, until this run succeeds\n".getBytes(StandardCharsets.UTF_8));
    }
    return true;
  }

  /**
   * About how many entries the stashed manifest of {@code dir} holds, from its shards' sizes (a
   * line is at least 100 bytes: a path, a 64-digit hash and a 16-digit fingerprint in JSON), so an
   * over-estimate; nothing is read.
   */
  public static long previousEntries(String dir) throws IOException {
    long bytes = 0;
    for (MatchResult.Metadata m : shards(dir + "/" + STASH + "/manifest/*", MANIFEST_SHARD)) {
      bytes += m.sizeBytes();
    }
    return bytes / 100;
  }

  /**
   * Whether the stashed manifest of {@code dir} was made under other settings than
   * {@code fingerprint} (another model, chunking or image settings): the first entry of every shard
   * says so, since a run that succeeds writes all its entries under its own settings. Then every
   * document is embedded again and nothing can be carried over, so the run is better started over
   * than diffed: the diff would hold the source of every document of the corpus in every instance
   * of the step that leaves the old lines behind. Reads one line per shard, never the manifest.
   */
  public static boolean madeUnderOtherSettings(String dir, String fingerprint) throws IOException {
    boolean any = false;
    for (MatchResult.Metadata shard : shards(dir + "/" + STASH + "/manifest/*", MANIFEST_SHARD)) {
      try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
          Channels.newInputStream(FileSystems.open(shard.resourceId())), StandardCharsets.UTF_8))) {
        String line = in.readLine();
        if (line == null || line.isBlank()) {
          continue;
        }
        if (entry(line).settings().equals(fingerprint)) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** After a run that succeeded: the previous state is no longer needed. */
  public static void unstash(String dir) throws IOException {
    delete(dir + "/" + STASH + "/**");
    java.nio.file.Path local = java.nio.file.Path.of(dir, STASH);
    if (!dir.contains("://") && java.nio.file.Files.isDirectory(local)) {
      // object stores have no directories; a local one leaves its empty folders
      try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(local)) {
        for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) walk.sorted(java.util.Comparator.reverseOrder())
            ::iterator) {
          java.nio.file.Files.deleteIfExists(p);
        }
      }
    }
  }

  private static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    return m.status() == MatchResult.Status.OK ? m.metadata() : List.of();
  }

  private static List<MatchResult.Metadata> shards(String glob, Pattern name) throws IOException {
    List<MatchResult.Metadata> shards = new ArrayList<>();
    for (MatchResult.Metadata m : match(glob)) {
      if (m.resourceId().getFilename() != null && name.matcher(m.resourceId().getFilename()).matches()) {
        shards.add(m);
      }
    }
    return shards;
  }

  private static void move(List<MatchResult.Metadata> files, String directory) throws IOException {
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    for (MatchResult.Metadata m : files) {
      from.add(m.resourceId());
      to.add(FileSystems.matchNewResource(directory + m.resourceId().getFilename(), false));
    }
    if (!from.isEmpty()) {
      if (!directory.contains("://")) {
        // a local rename needs its directory; object stores have none
        java.nio.file.Files.createDirectories(java.nio.file.Path.of(directory).toAbsolutePath());
      }
      FileSystems.rename(from, to, StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  private static void delete(String glob) throws IOException {
    List<ResourceId> files = new ArrayList<>();
    for (MatchResult.Metadata m : match(glob)) {
      if (!m.resourceId().isDirectory()) {
        files.add(m.resourceId());
      }
    }
    FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** What the check makes of the input against the previous manifest. */
  static final class Checked {
    static final TupleTag<MatchResult.Metadata> TO_SPLIT = new TupleTag<MatchResult.Metadata>() {};
    static final TupleTag<String> LEDGER_LINES = new TupleTag<String>() {};
    static final TupleTag<ManifestEntry> KEPT = new TupleTag<ManifestEntry>() {};
    static final TupleTag<String> DROPPED = new TupleTag<String>() {};
    public final PCollection<MatchResult.Metadata> toSplit;
    public final PCollection<String> ledgerLines;
    /** Entries of documents whose previous lines are copied: they go into the new manifest. */
    public final PCollection<ManifestEntry> kept;
    /** Sources of documents whose previous lines are left behind. */
    public final PCollection<String> dropped;

    Checked(PCollectionTuple t) {
      this.toSplit = t.get(TO_SPLIT);
      this.ledgerLines = t.get(LEDGER_LINES);
      this.kept = t.get(KEPT).setCoder(ManifestEntry.CODER);
      this.dropped = t.get(DROPPED).setCoder(StringUtf8Coder.of());
    }
  }

  /**
   * Joins the files with the previous manifest of {@code dir} (empty when {@code previous} is false)
   * by source, under a key per {@code keys}-th of the sources ({@link Incremental#bucket}) rather
   * than a key per document: a runner pays per key (the DirectRunner a bundle and a watermark hold
   * in every later step), and a key's files are a few hundred.
   */
  static Checked check(PBegin begin, PCollection<MatchResult.Metadata> files, String dir, boolean previous,
      String fingerprint, boolean prune, int hashSeconds, int keys) {
    TupleTag<MatchResult.Metadata> inInput = new TupleTag<>();
    TupleTag<ManifestEntry> inManifest = new TupleTag<>();
    PCollection<KV<Integer, MatchResult.Metadata>> input = files
        .apply("FileSources", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(),
            org.apache.beam.sdk.values.TypeDescriptor.of(MatchResult.Metadata.class)))
            .via((MatchResult.Metadata m) -> KV.of(Incremental.bucket(m.resourceId().toString(), keys), m)))
        .setCoder(KvCoder.of(VarIntCoder.of(), files.getCoder()));
    PCollection<KV<Integer, ManifestEntry>> manifest = readManifest(begin, dir, previous, keys);
    PCollectionTuple t = KeyedPCollectionTuple.of(inInput, input).and(inManifest, manifest)
        .apply("MatchPreviousManifest", CoGroupByKey.create())
        .apply("CheckPreviousManifest", ParDo.of(new CheckFn(fingerprint, prune, inInput, inManifest, hashSeconds))
            .withOutputTags(Checked.TO_SPLIT, TupleTagList.of(Checked.LEDGER_LINES).and(Checked.KEPT)
                .and(Checked.DROPPED)));
    t.get(Checked.TO_SPLIT).setCoder(files.getCoder());
    return new Checked(t);
  }

  private static PCollection<KV<Integer, ManifestEntry>> readManifest(PBegin begin, String dir, boolean previous,
      int keys) {
    KvCoder<Integer, ManifestEntry> coder = KvCoder.of(VarIntCoder.of(), ManifestEntry.CODER);
    if (!previous) {
      return begin.apply("NoPreviousManifest", org.apache.beam.sdk.transforms.Create.empty(coder));
    }
    return begin
        .apply("ReadPreviousManifest", TextIO.read().from(dir + "/" + STASH + "/manifest/manifest-*.jsonl")
            .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("ParseManifest", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.integers(),
            org.apache.beam.sdk.values.TypeDescriptor.of(ManifestEntry.class))).via((String line) -> {
              ManifestEntry e = entry(line);
              return KV.of(Incremental.bucket(e.source(), keys), e);
            }))
        .setCoder(coder);
  }

  static final class CheckFn extends DoFn<KV<Integer, CoGbkResult>, MatchResult.Metadata> {
    private final String fingerprint;
    private final boolean prune;
    private final TupleTag<MatchResult.Metadata> inInput;
    private final TupleTag<ManifestEntry> inManifest;
    private final int hashSeconds;
    private transient TimeLimitedCalls reads;

    CheckFn(String fingerprint, boolean prune, TupleTag<MatchResult.Metadata> inInput,
        TupleTag<ManifestEntry> inManifest, int hashSeconds) {
      this.fingerprint = fingerprint;
      this.prune = prune;
      this.inInput = inInput;
      this.inManifest = inManifest;
      this.hashSeconds = hashSeconds;
    }

    @Setup
    public void setup() {
      reads = new TimeLimitedCalls("HashFiles");
    }

    @Teardown
    public void teardown() {
      if (reads != null) {
        reads.close();
      }
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> joined, MultiOutputReceiver out) {
      // This key's input files (about a lookup batch) are held by source, which also drops a file
      // that two overlapping patterns matched twice; the previous entries stream past them.
      Map<String, MatchResult.Metadata> files = new LinkedHashMap<>();
      for (MatchResult.Metadata m : joined.getValue().getAll(inInput)) {
        files.putIfAbsent(m.resourceId().toString(), m);
      }
      Set<String> checked = new HashSet<>();
      for (ManifestEntry entry : joined.getValue().getAll(inManifest)) {
        MatchResult.Metadata file = files.remove(entry.source());
        if (file != null) {
          checked.add(entry.source());
          check(file, entry, out);
        } else if (checked.add(entry.source())) {
          gone(entry, out);
        }
      }
      for (MatchResult.Metadata file : files.values()) {
        check(file, null, out);
      }
    }

    /** A document the manifest holds and no input file is: removed with --prune, else kept. */
    private void gone(ManifestEntry entry, MultiOutputReceiver out) {
      if (prune) {
        Incremental.REMOVED_DOCS.inc();
        out.get(Checked.DROPPED).output(entry.source());
        out.get(Checked.LEDGER_LINES).output(
            Incremental.line(entry.source(), entry.documentId(), Incremental.REMOVED, 0));
      } else {
        out.get(Checked.KEPT).output(entry);
      }
    }

    private void check(MatchResult.Metadata file, ManifestEntry entry, MultiOutputReceiver out) {
      String source = file.resourceId().toString();
      if (entry == null) {
        Incremental.ADDED.inc();
        out.get(Checked.TO_SPLIT).output(file);
        return;
      }
      String hash = null;
      try {
        hash = Incremental.sha256(file, reads, hashSeconds);
      } catch (IOException unreadable) {
        // the split reads it again and makes the dead letter that says why
      }
      if (hash != null && entry.matches(hash, fingerprint)) {
        Incremental.SKIPPED.inc();
        Incremental.SEEN.inc();
        out.get(Checked.KEPT).output(entry);
        out.get(Checked.LEDGER_LINES).output(Incremental.line(source, hash, Incremental.UNCHANGED, entry.vectors()));
        return;
      }
      Incremental.UPDATED.inc();
      out.get(Checked.DROPPED).output(source);
      out.get(Checked.TO_SPLIT).output(file);
    }
  }

  /**
   * The previous vector lines of the documents not dropped, as they were; the image files of the
   * dropped ones' records (under {@code output/images/}) are deleted.
   */
  static PCollection<String> carried(PBegin begin, String dir, boolean previous, PCollection<String> dropped,
      String output) {
    if (!previous) {
      return begin.apply("NoPreviousVectors", org.apache.beam.sdk.transforms.Create.empty(StringUtf8Coder.of()));
    }
    PCollectionView<List<String>> droppedView = dropped.apply("DroppedSources", View.asList());
    return begin
        .apply("ReadPreviousVectors", TextIO.read().from(dir + "/" + STASH + "/vectors/vectors-*.jsonl")
            .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("KeepUnchanged", ParDo.of(new CarryFn(droppedView, output)).withSideInputs(droppedView));
  }

  static final class CarryFn extends DoFn<String, String> {
    private final PCollectionView<List<String>> droppedView;
    private final String images;
    private transient Set<String> dropped;

    CarryFn(PCollectionView<List<String>> droppedView, String output) {
      this.droppedView = droppedView;
      this.images = output + "/images/";
    }

    @ProcessElement
    public void process(@Element String line, ProcessContext c) throws IOException {
      if (dropped == null) {
        dropped = new HashSet<>(c.sideInput(droppedView));
      }
      if (!dropped.contains(source(line))) {
        c.output(line);
        return;
      }
      JsonNode record = Json.MAPPER.readTree(line);
      for (String field : List.of("ref", "thumbnail")) {
        String path = record.path(field).asText("");
        if (path.startsWith(images) && OutputLayout.isOurImage(path.substring(path.lastIndexOf('/') + 1))) {
          FileSystems.delete(List.of(FileSystems.matchNewResource(path, false)),
              StandardMoveOptions.IGNORE_MISSING_FILES);
        }
      }
    }
  }

  /** The {@code source} of a vector line, read without parsing its vector. */
  static String source(String line) throws IOException {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a vector line: " + line.substring(0, Math.min(80, line.length())));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        p.nextToken();
        if (name.equals("source")) {
          return p.getText();
        }
        p.skipChildren();
      }
    }
    throw new IOException("a vector line without a source: " + line.substring(0, Math.min(80, line.length())));
  }

  /** Writes the new manifest: the kept entries and those of the documents this run indexed. */
  static PTransform<PCollection<ManifestEntry>, PDone> writeManifest(String dir, PCollection<ManifestEntry> kept) {
    return new PTransform<PCollection<ManifestEntry>, PDone>() {
      @Override
      public PDone expand(PCollection<ManifestEntry> indexed) {
        return PCollectionList.of(indexed).and(kept)
            .apply("AllManifestEntries", Flatten.pCollections())
            .apply("ManifestToJson", MapElements.into(TypeDescriptors.strings()).via(FileIncremental::json))
            .apply("WriteFileManifest", TextIO.write().to(dir + "/manifest/manifest").withSuffix(".jsonl"));
      }
    };
  }

  static String json(ManifestEntry e) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("source", e.source());
    n.put("document_id", e.documentId());
    n.put("settings", e.settings());
    n.put("vectors", e.vectors());
    return Json.write(n);
  }

  static ManifestEntry entry(String line) {
    try {
      JsonNode n = Json.MAPPER.readTree(line);
      return new ManifestEntry(n.get("source").asText(), n.get("document_id").asText(), n.get("settings").asText(),
          n.get("vectors").asLong());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("a broken line in the file sink's manifest: " + line, e);
    }
  }
}

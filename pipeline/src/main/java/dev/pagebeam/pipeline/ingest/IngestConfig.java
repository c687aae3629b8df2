package dev.pagebeam.pipeline.ingest;

import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.milvus.MilvusBulkFiles;
import dev.pagebeam.io.milvus.MilvusConnector;
import dev.pagebeam.io.store.RetryPolicy;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.pipeline.incremental.DiffAgainstManifest;
import dev.pagebeam.pipeline.incremental.Incremental;
import dev.pagebeam.pipeline.options.ModelSpecs;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.pipeline.runner.RunnerSetup;
import dev.pagebeam.pipeline.sink.Sinks;
import dev.pagebeam.transforms.encode.EncodeSettings;
import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelManifest;
import dev.pagebeam.transforms.model.ModelSpec;
import dev.pagebeam.transforms.ocr.OcrMode;
import dev.pagebeam.transforms.ocr.OcrSettings;
import dev.pagebeam.transforms.split.SplitSettings;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the ingest transform needs, resolved and checked before any PDF is read: the input
 * patterns (each matches a file), the split settings, the model (loaded once here to check its
 * files, graph, dimension and device, and that chunks fit it), the encoder's settings and the sink
 * (reachable, guarded against another model's or dimension's vectors, created when absent).
 * Immutable: {@link #prepare} makes it, {@link #withPreviousFileRun} makes a copy that knows what
 * the file sink's earlier run left.
 */
public final class IngestConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(IngestConfig.class);

  /** What a local directory of --input becomes: every PDF below it. */
  static final String DIRECTORY_SUFFIX = "/**.{pdf,PDF}";
  /** Encoder shard keys per worker: Flink hashes keys to subtasks, and one key each would leave some idle. */
  static final int SHARDS_PER_WORKER = 2;

  /** What the launcher learned about the model by loading it. */
  static final class ModelFacts implements Serializable {
    private static final long serialVersionUID = 1L;
    final String id;
    final int dimension;
    final boolean encodesImages;
    final boolean cuda;

    ModelFacts(String id, int dimension, boolean encodesImages, boolean cuda) {
      this.id = id;
      this.dimension = dimension;
      this.encodesImages = encodesImages;
      this.cuda = cuda;
    }
  }

  private final String output;
  private final List<String> patterns;
  /** Files per shuffle key in the per-file steps: see {@link #spreadKeys}. */
  static final int FILES_PER_KEY = 8;
  private final long fileCount;
  private final SplitSettings split;
  private final boolean writeElements;
  private final boolean writeImages;
  /** --pageImages as asked; {@link #split} leaves thumbnails out where nothing uses them. */
  private final boolean pageImagesAsked;
  private final int fileTimeoutSeconds;
  // the rest is null or unused when --encode=false (a split-only run)
  private final ModelFacts model;
  private final EncodeSettings encode;
  private final SinkTarget sink;
  /** A database sink's connector; null for the file sink. */
  private final StoreConnector store;
  private final RetryPolicy retry;
  private final int sinkBatchSize;
  private final int sinkRequestsInFlight;
  /** The Milvus bulk-import files' write, in place of upserts; null without --milvusBulk. */
  private final MilvusBulkFiles bulk;
  private final boolean full;
  private final boolean prune;
  /** The sink guard created the collection in this run: nothing to skip or replace. */
  private final boolean newCollection;
  /** The file sink holds an earlier run's state to be incremental against (see FileIncremental). */
  private final boolean previousFileRun;
  /** About how many entries that earlier run's manifest holds (0 without one). */
  private final long previousEntries;

  private IngestConfig(PagebeamOptions o, List<String> patterns, long fileCount, SplitSettings split, ModelFacts model,
      EncodeSettings encode, boolean newCollection, boolean previousFileRun, MilvusBulkFiles bulk) {
    this.output = o.getOutput();
    this.patterns = List.copyOf(patterns);
    this.fileCount = fileCount;
    this.split = split;
    this.writeElements = o.getWriteElements();
    this.writeImages = o.getWriteImages();
    this.pageImagesAsked = o.getPageImages();
    this.fileTimeoutSeconds = o.getFileTimeoutSeconds();
    this.model = model;
    this.encode = encode;
    this.sink = Sinks.target(o);
    this.store = encode == null ? null : Sinks.connector(sink, o);
    this.retry = Sinks.retry(o);
    this.sinkBatchSize = o.getSinkBatchSize();
    this.sinkRequestsInFlight = o.getSinkRequestsInFlight();
    this.bulk = bulk;
    // bulk files load an empty collection: every document is split, nothing is deleted first
    this.full = o.getFull() || bulk != null;
    this.prune = o.getPrune();
    this.newCollection = newCollection || bulk != null;
    this.previousFileRun = previousFileRun;
    this.previousEntries = 0;
  }

  private IngestConfig(IngestConfig c, boolean previousFileRun, long previousEntries) {
    this.output = c.output;
    this.patterns = c.patterns;
    this.fileCount = c.fileCount;
    this.split = c.split;
    this.writeElements = c.writeElements;
    this.writeImages = c.writeImages;
    this.pageImagesAsked = c.pageImagesAsked;
    this.fileTimeoutSeconds = c.fileTimeoutSeconds;
    this.model = c.model;
    this.encode = c.encode;
    this.sink = c.sink;
    this.store = c.store;
    this.retry = c.retry;
    this.sinkBatchSize = c.sinkBatchSize;
    this.sinkRequestsInFlight = c.sinkRequestsInFlight;
    this.bulk = c.bulk;
    this.full = c.full;
    this.prune = c.prune;
    this.newCollection = c.newCollection;
    this.previousFileRun = previousFileRun;
    this.previousEntries = previousEntries;
  }

  /** Validates the options and resolves the inputs; throws with what to do when it can't work. */
  public static IngestConfig prepare(PagebeamOptions options) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    SplitSettings split = splitSettings(options);
    List<String> patterns = inputPatterns(options.getInput());
    long files = countMatches(patterns);
    if (!options.getEncode()) {
      split = withoutUnusedThumbnails(split, options, false);
      return new IngestConfig(options, patterns, files, split, null, null, false, false, null);
    }
    if (RunnerSetup.kind(options) == RunnerSetup.Kind.FLINK_CLUSTER && Sinks.milvusToken(options).isThisJvmOnly()) {
      throw new IllegalArgumentException("--milvusToken cannot reach a cluster's TaskManagers without being put in"
          + " the serialized job: set " + Sinks.MILVUS_TOKEN_VARIABLE + " in every TaskManager's environment, or"
          + " pass --milvusTokenFile=PATH with a file readable at that path on every TaskManager");
    }
    if (options.getSinkBatchSize() < 1 || options.getSinkRequestsInFlight() < 1
        || options.getSinkRequestsInFlight() > 16) {
      throw new IllegalArgumentException("--sinkBatchSize=" + options.getSinkBatchSize() + " and --sinkRequestsInFlight="
          + options.getSinkRequestsInFlight() + ": the batch size must be at least 1, the requests in flight 1 to 16");
    }
    ModelSpec spec = ModelSpecs.of(options);
    ModelFacts facts = checkModel(spec, split);
    split = withoutUnusedThumbnails(split, options, facts.encodesImages);
    EncodeSettings encode = encodeSettings(options, spec, facts.cuda);
    SinkTarget target = Sinks.target(options);
    if (!options.getMilvusBulk().isEmpty() && target.kind() != SinkTarget.Kind.MILVUS) {
      throw new IllegalArgumentException("--milvusBulk writes files for Milvus's bulk import: it needs a milvus://"
          + " sink, not " + target);
    }
    String guard = Sinks.prepare(target, options, facts.id, facts.dimension);
    LOG.info("sink {}: {} ({} dimensions, model {})", target, guard, facts.dimension, facts.id);
    if (target.kind() == SinkTarget.Kind.MILVUS && options.getSinkRequestsInFlight() > 1
        && options.getMilvusBulk().isEmpty()) {
      oneWriterOnMilvusLite(target, options);
    }
    MilvusBulkFiles bulk = null;
    if (!options.getMilvusBulk().isEmpty()) {
      bulk = MilvusBulkFiles.prepare((MilvusConnector) Sinks.connector(target, options), options.getMilvusBulk(),
          facts.dimension);
      LOG.info("vectors go to Milvus bulk-import files in {} (fields {}), not to upserts", options.getMilvusBulk(),
          bulk.fields());
    }
    return new IngestConfig(options, patterns, files, split, facts, encode, !guard.equals("checked"), false, bulk);
  }

  /**
   * Milvus Lite loses acknowledged writes of concurrent writers when it is killed (see
   * {@link MilvusConnector#isMilvusLite}): a run that rode over a restart of the server would report
   * every record written, record its documents in the manifest, and leave records missing that no
   * incremental rerun restores. One request in flight keeps what Lite acknowledged.
   */
  private static void oneWriterOnMilvusLite(SinkTarget target, PagebeamOptions options) throws IOException {
    if (((MilvusConnector) Sinks.connector(target, options)).isMilvusLite()) {
      LOG.warn("sink {}: the server is Milvus Lite, which loses acknowledged writes of concurrent writers when it"
          + " is killed: one upsert request in flight (--sinkRequestsInFlight={} asked; keep one writer on Flink"
          + " too, --workers=1)", target, options.getSinkRequestsInFlight());
      options.setSinkRequestsInFlight(1);
    }
  }

  /**
   * This configuration, knowing whether the file sink's earlier run left state to be incremental
   * against, and about how many manifest entries it holds.
   */
  IngestConfig withPreviousFileRun(boolean previous, long entries) {
    return new IngestConfig(this, previous, entries);
  }

  /**
   * The settings without page thumbnails when nothing would use them: no image files or element
   * lines are written and the model does not encode images (a text model finds a page by its text).
   * Rendering them cost the split time and, on the DirectRunner, the memory of every thumbnail
   * held between stages, for records that would only have named files never written.
   */
  static SplitSettings withoutUnusedThumbnails(SplitSettings split, PagebeamOptions o, boolean modelEncodesImages) {
    if (!split.pageImages() || o.getWriteImages() || o.getWriteElements() || modelEncodesImages) {
      return split;
    }
    LOG.info("page thumbnails are not rendered: {} and nothing else uses them (--writeImages=true renders them)",
        o.getEncode() ? "the model encodes text only, --writeImages=false" : "--encode=false, --writeImages=false");
    return split.withPageImages(false, split.thumbnailSide());
  }

  public static SplitSettings splitSettings(PagebeamOptions o) {
    return SplitSettings.defaults()
        .withTokenizerModel(ModelLocation.parse(o.getModel()))
        .withChunking(o.getMaxTokens(), o.getOverlapTokens())
        .withPageImages(o.getPageImages(), o.getThumbnailSize())
        .withEmbeddedImages(o.getEmbeddedImages(), o.getMinImageSize(), o.getMaxImageSide())
        .withMaxImagePixels(o.getMaxImagePixels())
        .withLimits(o.getMemoryPerDocumentMb(), o.getFileTimeoutSeconds())
        .withPagesPerTask(o.getPagesPerTask())
        .withOcr(ocrSettings(o));
  }

  static OcrSettings ocrSettings(PagebeamOptions o) {
    return OcrSettings.defaults()
        .withMode(OcrMode.parse(o.getOcr()))
        .withLanguages(o.getOcrLanguages(), o.getOcrDataDir())
        .withPageDpi(o.getOcrDpi())
        .withUpscaleBelow(o.getOcrUpscaleBelow())
        .withSecondsPerImage(o.getOcrSecondsPerImage());
  }

  /**
   * Loads the model once, here, so that a missing file, a broken graph, a wrong dimension or an
   * unavailable CUDA stops the job before any PDF is read; then unloads it (the workers load it
   * once each).
   */
  static ModelFacts checkModel(ModelSpec spec, SplitSettings settings) throws IOException {
    try (EmbeddingModel loaded = EmbeddingModel.load(spec)) {
      ModelManifest m = loaded.manifest();
      int prefixTokens = m.documentPrefix().isEmpty() ? 0
          : loaded.tokenizer().countWithSpecialTokens(m.documentPrefix()) - loaded.tokenizer().specialTokens();
      if (settings.maxTokens() + prefixTokens > m.maxTokens()) {
        throw new IllegalArgumentException("--maxTokens=" + settings.maxTokens()
            + (prefixTokens > 0 ? " (plus " + prefixTokens + " tokens of document prefix)" : "")
            + " is more than model " + m.id() + " takes (" + m.maxTokens() + " tokens): its chunks would be cut."
            + " Use --maxTokens=" + (m.maxTokens() - prefixTokens) + " or less.");
      }
      if (!m.encodesImages() && !settings.ocr().enabled()) {
        LOG.warn("model {} encodes text only and --ocr=off: embedded images without a caption and pages without a"
            + " text layer cannot be searched; they are counted as images_without_encoder", m.id());
      } else if (!m.encodesImages()) {
        LOG.info("model {} encodes text only: embedded images are embedded by their caption and OCR text, pages"
            + " without a text layer by their OCR text; thumbnails are found through their page's text", m.id());
      }
      return new ModelFacts(m.id(), loaded.dimension(), m.encodesImages(), loaded.device().isCuda());
    }
  }

  /** The encoder's settings; batch sizes left at 0 follow the device the model loaded on. */
  static EncodeSettings encodeSettings(PagebeamOptions o, ModelSpec spec, boolean cuda) {
    int text = o.getTextBatchSize() != 0 ? o.getTextBatchSize()
        : cuda ? EncodeSettings.DEFAULT_TEXT_BATCH_CUDA : EncodeSettings.DEFAULT_TEXT_BATCH_CPU;
    int images = o.getImageBatchSize() != 0 ? o.getImageBatchSize()
        : cuda ? EncodeSettings.DEFAULT_IMAGE_BATCH_CUDA : EncodeSettings.DEFAULT_IMAGE_BATCH_CPU;
    return EncodeSettings.of(spec)
        .withBatchSizes(text, images)
        .withMaxBatchTokens(o.getMaxBatchTokens())
        .withShards(encoderShards(o))
        .withMaxBufferingSeconds(o.getMaxBufferingSeconds())
        .withBatching(batching(o.getEncoderBatching()));
  }

  static EncodeSettings.Batching batching(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "keyed":
        return EncodeSettings.Batching.KEYED;
      case "bundle":
        return EncodeSettings.Batching.BUNDLE;
      default:
        throw new IllegalArgumentException("--encoderBatching=" + value + " is not one of auto, keyed, bundle");
    }
  }

  /**
   * At least one key per worker (--workers, which RunnerSetup resolved to the job's parallelism), so
   * that every worker has batches to encode; by default {@link #SHARDS_PER_WORKER} per worker.
   */
  static int encoderShards(PagebeamOptions options) {
    int workers = Math.max(1, options.getWorkers());
    int shards = options.getEncoderShards();
    if (shards == 0) {
      return workers * SHARDS_PER_WORKER;
    }
    if (shards < workers) {
      throw new IllegalArgumentException("--encoderShards=" + shards + " is below the job's parallelism ("
          + workers + " workers): some workers would have no batches. Use at least " + workers + ", or 0.");
    }
    return shards;
  }

  /** A local directory stands for every PDF below it. */
  static List<String> inputPatterns(List<String> inputs) {
    List<String> patterns = new ArrayList<>();
    for (String input : inputs) {
      String in = input.trim();
      if (in.isEmpty()) {
        continue;
      }
      if (!in.contains("://") && Files.isDirectory(Path.of(in))) {
        in = Path.of(in).toAbsolutePath().normalize() + DIRECTORY_SUFFIX;
      }
      patterns.add(in);
    }
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("--input is empty: give PDF files, globs or a directory");
    }
    return patterns;
  }

  /**
   * The number of files the patterns match; each must match one. A local directory is counted by
   * walking it (a million files are never listed at once); a glob is matched by Beam's file
   * systems, which list its matches.
   */
  private static long countMatches(List<String> patterns) throws IOException {
    long files = 0;
    List<String> empty = new ArrayList<>();
    for (String pattern : patterns) {
      long n;
      Path directory = pattern.endsWith(DIRECTORY_SUFFIX)
          ? Path.of(pattern.substring(0, pattern.length() - DIRECTORY_SUFFIX.length())) : null;
      if (directory != null && Files.isDirectory(directory)) {
        try (Stream<Path> walk = Files.walk(directory)) {
          // the same files as the glob: *.pdf or *.PDF
          n = walk.filter(p -> (p.getFileName().toString().endsWith(".pdf")
              || p.getFileName().toString().endsWith(".PDF")) && Files.isRegularFile(p)).count();
        }
      } else {
        MatchResult r = FileSystems.match(List.of(pattern), EmptyMatchTreatment.ALLOW).get(0);
        n = r.status() == MatchResult.Status.OK ? r.metadata().size() : 0;
      }
      if (n == 0) {
        empty.add(pattern);
      }
      files += n;
    }
    if (!empty.isEmpty()) {
      throw new IllegalArgumentException("--input matches no files: " + String.join(", ", empty)
          + ". Check the path; globs such as /data/*.pdf and directories are accepted.");
    }
    return files;
  }

  /** The incremental diff of this run, or null when nothing is encoded (a split-only run keeps no manifest). */
  DiffAgainstManifest diff() {
    if (encode == null) {
      return null;
    }
    // the check's keys follow the larger side: a narrowed input against a large manifest too
    DiffAgainstManifest.Settings s = new DiffAgainstManifest.Settings(fingerprint(), full, prune, fileTimeoutSeconds,
        Math.max(fileCount, previousEntries));
    return store == null
        ? DiffAgainstManifest.inFiles(sink.directory(), previousFileRun, output, s)
        : DiffAgainstManifest.inStore(store, retry, newCollection, s);
  }

  /** The settings fingerprint of the manifest; null when nothing is encoded. */
  String fingerprint() {
    // thumbnails as asked, not as rendered: a record names its thumbnail only with image files
    // written, when they are rendered anyway, so --writeElements on one run and off the next (which
    // renders them or not) must not embed every document again
    return encode == null ? null
        : Incremental.fingerprint(model.id, split.withPageImages(pageImagesAsked, split.thumbnailSide()), output,
            writeImages);
  }

  WriteLedger.Run ledgerRun() {
    return new WriteLedger.Run(encode != null, modelEncodesImages(),
        model == null ? null : model.id, split.ocr().mode().label());
  }

  public String output() {
    return output;
  }

  public List<String> patterns() {
    return patterns;
  }

  public long fileCount() {
    return fileCount;
  }

  /**
   * Shuffle keys for the per-file steps (the split's spread, the ledger's sums): about
   * {@link #FILES_PER_KEY} files a key, at least 64. The DirectRunner runs every step after a shuffle
   * once per key, at a cost of milliseconds each (Beam translates the step anew for every bundle),
   * which a key per file made the larger part of a run over thousands of small files; a cluster
   * spreads these keys as evenly as a key per file.
   */
  int spreadKeys() {
    return (int) Math.max(64, Math.min(1 << 20, fileCount / FILES_PER_KEY));
  }

  public SplitSettings split() {
    return split;
  }

  boolean writeElements() {
    return writeElements;
  }

  boolean writeImages() {
    return writeImages;
  }

  /** The encoder's settings, or null for a split-only run. */
  EncodeSettings encode() {
    return encode;
  }

  boolean encodes() {
    return encode != null;
  }

  String modelId() {
    return model == null ? null : model.id;
  }

  boolean modelEncodesImages() {
    return model != null && model.encodesImages;
  }

  int dimension() {
    return model == null ? 0 : model.dimension;
  }

  SinkTarget sink() {
    return sink;
  }

  StoreConnector store() {
    return store;
  }

  RetryPolicy retry() {
    return retry;
  }

  int sinkBatchSize() {
    return sinkBatchSize;
  }

  int sinkRequestsInFlight() {
    return sinkRequestsInFlight;
  }

  /** The Milvus bulk-import files' write, or null when the vectors are upserted. */
  MilvusBulkFiles bulk() {
    return bulk;
  }

  /** The file sink's earlier state is to be set aside, not kept: a full run, or a new output. */
  boolean startsOver() {
    return full || newCollection;
  }

  @Override
  public String toString() {
    return split + (encode == null ? ", split only" : ", " + encode);
  }
}

package dev.pagebeam.pipeline.ingest;

import dev.pagebeam.pipeline.output.OutputLayout;

import dev.pagebeam.pipeline.options.ModelSpecs;
import dev.pagebeam.pipeline.incremental.FileIncremental;
import dev.pagebeam.pipeline.incremental.Incremental;
import dev.pagebeam.pipeline.runner.Progress;
import dev.pagebeam.pipeline.runner.RunnerSetup;
import dev.pagebeam.pipeline.sink.Sinks;
import dev.pagebeam.pipeline.output.WriteImageFiles;
import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.files.FileVectorSink;
import dev.pagebeam.io.store.RetryPolicy;
import dev.pagebeam.io.store.StoreConnector;
import dev.pagebeam.transforms.encode.EmbeddedElement;
import dev.pagebeam.transforms.encode.EncodePdfElements;
import dev.pagebeam.transforms.encode.EncodeSettings;
import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelManifest;
import dev.pagebeam.transforms.model.ModelSpec;
import dev.pagebeam.transforms.ocr.OcrMode;
import dev.pagebeam.transforms.ocr.OcrSettings;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.split.SplitPdfs;
import dev.pagebeam.transforms.split.SplitSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest job: PDFs -> elements -> vectors -> the sink (files, Chroma or Milvus), plus dead
 * letters. Everything that can be checked is checked before the pipeline starts: options, the model
 * (it is loaded once to check its files, graph, dimension and device), that chunks fit the model,
 * that the sink is reachable and does not hold another model's or dimension's vectors (the
 * collection is created when absent), and that every input pattern matches a file.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

  private final PagebeamOptions options;
  private final SplitSettings settings;
  private final List<String> patterns;
  private final long fileCount;
  private final ModelFacts model;
  private final EncodeSettings encode;
  /** Set when the sink guard created the collection in this run (nothing to skip or replace). */
  private boolean newCollection;
  /** Set when the file sink holds an earlier run's state to be incremental against (see FileIncremental). */
  private boolean filePrevious;

  /** What the launcher learned about the model by loading it. */
  static final class ModelFacts {
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

  private IngestJob(PagebeamOptions options, SplitSettings settings, List<String> patterns, long fileCount,
      ModelFacts model, EncodeSettings encode) {
    this.options = options;
    this.settings = settings;
    this.patterns = patterns;
    this.fileCount = fileCount;
    this.model = model;
    this.encode = encode;
  }

  /** Validates the configuration and resolves the inputs; throws with what to do when it can't work. */
  public static IngestJob prepare(PagebeamOptions options) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    SplitSettings settings = splitSettings(options);
    List<String> patterns = inputPatterns(options.getInput());
    long files = countMatches(patterns);
    if (!options.getEncode()) {
      return new IngestJob(options, settings, patterns, files, null, null);
    }
    if (RunnerSetup.kind(options) == RunnerSetup.Kind.FLINK_CLUSTER && Sinks.milvusToken(options).isThisJvmOnly()) {
      throw new IllegalArgumentException("--milvusToken cannot reach a cluster's TaskManagers without being put in"
          + " the serialized job: set " + Sinks.MILVUS_TOKEN_VARIABLE + " in every TaskManager's environment, or"
          + " pass --milvusTokenFile=PATH with a file readable at that path on every TaskManager");
    }
    ModelSpec spec = ModelSpecs.of(options);
    ModelFacts facts = checkModel(spec, settings);
    EncodeSettings encode = encodeSettings(options, spec, facts.cuda);
    SinkTarget target = Sinks.target(options);
    String guard = Sinks.prepare(target, options, facts.id, facts.dimension);
    LOG.info("sink {}: {} ({} dimensions, model {})", target, guard, facts.dimension, facts.id);
    IngestJob job = new IngestJob(options, settings, patterns, files, facts, encode);
    job.newCollection = !guard.equals("checked");
    return job;
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
    return new EncodeSettings(spec, text, images, o.getMaxBatchTokens(), encoderShards(o), o.getMaxBufferingSeconds(),
        batching(o.getEncoderBatching()));
  }

  static EncodeSettings.Batching batching(String value) {
    switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "keyed":
        return EncodeSettings.Batching.KEYED;
      case "bundle":
        return EncodeSettings.Batching.BUNDLE;
      default:
        throw new IllegalArgumentException("--encoderBatching=" + value + " is not one of auto, keyed, bundle");
    }
  }

  /** Encoder shard keys per worker: Flink hashes keys to subtasks, and one key each would leave some idle. */
  static final int SHARDS_PER_WORKER = 2;

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

  /** What a local directory of --input becomes: every PDF below it. */
  static final String DIRECTORY_SUFFIX = "/**.{pdf,PDF}";

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
      if (pattern.endsWith(DIRECTORY_SUFFIX) && Files.isDirectory(Path.of(pattern.substring(0,
          pattern.length() - DIRECTORY_SUFFIX.length())))) {
        try (java.util.stream.Stream<Path> walk = Files.walk(Path.of(pattern.substring(0,
            pattern.length() - DIRECTORY_SUFFIX.length())))) {
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


  public long fileCount() {
    return fileCount;
  }

  public List<String> patterns() {
    return patterns;
  }

  /** The job's pipeline, built but not run (what a runner would serialize). */
  public Pipeline newPipeline() {
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline);
    return pipeline;
  }

  /** Adds the job's transforms to {@code pipeline}. */
  void build(Pipeline pipeline) {
    String out = options.getOutput();
    PCollection<MatchResult.Metadata> files = pipeline
        .apply("Inputs", Create.of(patterns))
        .apply("MatchFiles", SplitPdfs.match());
    SinkTarget target = Sinks.target(options);
    boolean incremental = encode != null;
    boolean fileSink = target.kind() == SinkTarget.Kind.FILE;
    String fingerprint = incremental
        ? Incremental.fingerprint(model.id, settings, out, options.getWriteImages()) : null;
    StoreConnector store = incremental && !fileSink ? Sinks.connector(target, options) : null;
    RetryPolicy retry = Sinks.retry(options);
    List<PCollection<String>> incrementalLines = new ArrayList<>();
    PCollection<MatchResult.Metadata> toSplit = files;
    PTransform<PCollection<dev.pagebeam.io.store.ManifestEntry>, PDone> manifest = null;
    PCollection<String> carried = null;
    if (incremental && fileSink) {
      FileIncremental.Checked checked = FileIncremental.check(pipeline.begin(), files, target.directory(),
          filePrevious, fingerprint, options.getPrune(), options.getFileTimeoutSeconds());
      toSplit = checked.toSplit;
      incrementalLines.add(checked.ledgerLines);
      carried = FileIncremental.carried(pipeline.begin(), target.directory(), filePrevious, checked.dropped, out);
      manifest = FileIncremental.writeManifest(target.directory(), checked.kept);
    } else if (incremental) {
      Incremental.Checked checked = Incremental.check(files, store, fingerprint, options.getFull(), newCollection,
          retry, options.getFileTimeoutSeconds());
      toSplit = checked.toSplit;
      incrementalLines.add(checked.ledgerLines);
      if (options.getPrune()) {
        incrementalLines.add(Incremental.prune(pipeline.begin(), files, store, retry));
      }
      manifest = Incremental.writeManifest(store, retry);
    }
    SplitPdfs.Result split = toSplit.apply("SplitPdfs", SplitPdfs.files(settings));
    List<PCollection<DeadLetter>> deadLetters = new ArrayList<>(List.of(split.deadLetters()));
    if (options.getWriteElements()) {
      split.elements()
          .apply("ElementToJson", MapElements.into(TypeDescriptors.strings()).via(Json::element))
          .apply("WriteElements", TextIO.write().to(out + "/elements/elements").withSuffix(".jsonl"));
    }
    if (options.getWriteImages()) {
      split.elements().apply("WriteImages", new WriteImageFiles(out));
    }
    PCollection<VectorRecord> records = null;
    PCollection<SinkFailure> failed = null;
    if (encode != null) {
      EncodePdfElements.Result encoded = split.elements().apply("EncodePdfElements", EncodePdfElements.with(encode));
      deadLetters.add(encoded.deadLetters());
      boolean imageFiles = options.getWriteImages();
      records = encoded.embedded()
          .apply("ToVectorRecord", MapElements.into(TypeDescriptor.of(VectorRecord.class))
              .via((EmbeddedElement e) -> toRecord(e, out, imageFiles)))
          .setCoder(VectorRecord.RecordCoder.of());
      failed = records.apply("WriteVectors", carried == null
          ? Sinks.write(target, options, model.dimension)
          : FileVectorSink.write(target.directory(), model.dimension).withCarried(carried));
    }
    // the ledger counts sink failures apart from the split's and the encoder's dead letters
    PCollection<DeadLetter> elementDeadLetters = PCollectionList.of(deadLetters)
        .apply("ElementDeadLetters", Flatten.pCollections());
    Ledger ledger = new Ledger(out, new Ledger.Run(encode != null, model != null && model.encodesImages,
        model == null ? null : model.id, settings.ocr().mode().label()), split.reports(), split.elements(),
        elementDeadLetters, records, failed);
    if (incremental) {
      ledger.withManifest(PCollectionList.of(incrementalLines).apply("IncrementalLines", Flatten.pCollections()),
          manifest, fingerprint);
    }
    pipeline.apply("Ledger", ledger);
    List<PCollection<DeadLetter>> all = new ArrayList<>(List.of(elementDeadLetters));
    if (failed != null) {
      all.add(failed.apply("SinkFailureToDeadLetter",
          MapElements.into(TypeDescriptor.of(DeadLetter.class)).via(IngestJob::toDeadLetter))
          .setCoder(DeadLetter.DeadLetterCoder.of()));
    }
    PCollectionList.of(all)
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("DeadLetterToJson", MapElements.into(TypeDescriptors.strings()).via(Json::deadLetter))
        .apply("WriteDeadLetters", TextIO.write().to(out + "/dead-letters/dead-letters").withSuffix(".jsonl"));
  }

  /**
   * The sink record of an encoded element. Images (and the text records of images) point at their
   * image file when one is written, chunks at their place in the PDF; every record names its page's
   * thumbnail file when there is one.
   */
  public static VectorRecord toRecord(EmbeddedElement e, String output, boolean imageFiles) {
    PdfElement el = e.element();
    String ref = el.imageFileId() != null && imageFiles ? output + "/" + Json.imageFileName(el) : el.sourceRef();
    String thumbnail = el.getThumbnailId() != null && imageFiles
        ? output + "/" + Json.imageFile(el.getThumbnailId(), "png") : null;
    return new VectorRecord(el.getId(), el.getDocumentId(), el.getType().label(), el.getSource(), el.getPage(),
        el.getText(), ref, el.getContentHash(), e.modelId(), e.vector())
        .withPage(thumbnail, el.hasText() ? el.text().source().label() : null);
  }

  static DeadLetter toDeadLetter(SinkFailure f) {
    return DeadLetter.forElement(f.source(), f.documentId(), "sink", ErrorKind.SINK_FAILED, f.reason(), f.page(),
        f.type() + " " + f.recordId());
  }

  /** Runs to completion, logging progress every few seconds, and returns the summary. */
  public Summary run() throws IOException {
    SinkTarget sink = Sinks.target(options);
    boolean fileSink = encode != null && sink.kind() == SinkTarget.Kind.FILE;
    if (fileSink) {
      // before anything is removed: the earlier run's shards go aside, to be kept or left behind
      filePrevious = FileIncremental.stash(sink.directory(), options.getFull() || newCollection);
    }
    // an incremental file run keeps the image files of the documents it skips
    OutputLayout.removePreviousOutput(options.getOutput(), !filePrevious);
    if (fileSink && !sink.directory().equals(options.getOutput())) {
      OutputLayout.removePreviousOutput(sink.directory(), !filePrevious);
    }
    LOG.info("ingest: {} files from {} -> {} ({}{})", fileCount, patterns, options.getOutput(), settings,
        encode == null ? ", split only" : ", " + encode);
    Pipeline pipeline = newPipeline();
    long started = System.nanoTime();
    Progress.Lines lines = new Progress.Lines(fileCount);
    PipelineResult result = RunnerSetup.run(pipeline, options,
        snapshot -> LOG.info(lines.next(snapshot, (System.nanoTime() - started) / 1e9)));
    if (fileSink) {
      FileIncremental.unstash(sink.directory());
    }
    Map<String, Long> counters = Summary.counters(result);
    return Summary.of(counters, (System.nanoTime() - started) / 1e9,
        model == null ? null : model.id, model == null ? 0 : model.dimension)
        .withSink(encode == null ? null : Sinks.target(options).toString())
        .withRunner(RunnerSetup.describe(options));
  }
}

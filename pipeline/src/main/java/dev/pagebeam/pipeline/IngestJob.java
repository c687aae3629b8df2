package dev.pagebeam.pipeline;

import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.split.SplitCounters;
import dev.pagebeam.transforms.split.SplitPdfs;
import dev.pagebeam.transforms.split.SplitSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest job: PDFs -> elements, written for inspection, and dead letters. Everything that can
 * be checked is checked before the pipeline starts: options, the model's tokenizer, and that every
 * input pattern matches at least one file.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
  private static final long PROGRESS_SECONDS = 5;

  private final PagebeamOptions options;
  private final SplitSettings settings;
  private final List<String> patterns;
  private final int fileCount;

  private IngestJob(PagebeamOptions options, SplitSettings settings, List<String> patterns, int fileCount) {
    this.options = options;
    this.settings = settings;
    this.patterns = patterns;
    this.fileCount = fileCount;
  }

  /** Validates the configuration and resolves the inputs; throws with what to do when it can't work. */
  public static IngestJob prepare(PagebeamOptions options) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    SplitSettings settings = splitSettings(options);
    List<String> patterns = inputPatterns(options.getInput());
    int files = countMatches(patterns);
    return new IngestJob(options, settings, patterns, files);
  }

  public static SplitSettings splitSettings(PagebeamOptions o) {
    return SplitSettings.defaults()
        .withTokenizerModel(ModelLocation.parse(o.getModel()))
        .withChunking(o.getMaxTokens(), o.getOverlapTokens())
        .withPageImages(o.getPageImages(), o.getThumbnailSize())
        .withEmbeddedImages(o.getEmbeddedImages(), o.getMinImageSize(), o.getMaxImageSide())
        .withMaxImagePixels(o.getMaxImagePixels())
        .withLimits(o.getMemoryPerDocumentMb(), o.getSecondsPerDocument())
        .withPagesPerTask(o.getPagesPerTask());
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
        in = Path.of(in).toAbsolutePath().normalize() + "/**.{pdf,PDF}";
      }
      patterns.add(in);
    }
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("--input is empty: give PDF files, globs or a directory");
    }
    return patterns;
  }

  private static int countMatches(List<String> patterns) throws IOException {
    List<MatchResult> results = FileSystems.match(patterns, EmptyMatchTreatment.ALLOW);
    int files = 0;
    List<String> empty = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      MatchResult r = results.get(i);
      int n = r.status() == MatchResult.Status.OK ? r.metadata().size() : 0;
      if (n == 0) {
        empty.add(patterns.get(i));
      }
      files += n;
    }
    if (!empty.isEmpty()) {
      throw new IllegalArgumentException("--input matches no files: " + String.join(", ", empty)
          + ". Check the path; globs such as /data/*.pdf and directories are accepted.");
    }
    return files;
  }

  public int fileCount() {
    return fileCount;
  }

  public List<String> patterns() {
    return patterns;
  }

  /** Adds the job's transforms to {@code pipeline}. */
  void build(Pipeline pipeline) {
    String out = options.getOutput();
    SplitPdfs.Result split = pipeline
        .apply("Inputs", Create.of(patterns))
        .apply("SplitPdfs", SplitPdfs.with(settings));
    split.elements()
        .apply("ElementToJson", MapElements.into(TypeDescriptors.strings()).via(Json::element))
        .apply("WriteElements", TextIO.write().to(out + "/elements/elements").withSuffix(".jsonl"));
    if (options.getWriteImages()) {
      split.elements().apply("WriteImages", new WriteImageFiles(out));
    }
    split.deadLetters()
        .apply("DeadLetterToJson", MapElements.into(TypeDescriptors.strings()).via(Json::deadLetter))
        .apply("WriteDeadLetters", TextIO.write().to(out + "/dead-letters/dead-letters").withSuffix(".jsonl"));
  }

  /** Runs to completion, logging progress every few seconds, and returns the summary. */
  public Summary run() throws IOException {
    removePreviousOutput(options.getOutput());
    LOG.info("ingest: {} files from {} -> {} ({})", fileCount, patterns, options.getOutput(), settings);
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline);
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    PipelineResult.State state;
    while ((state = result.waitUntilFinish(Duration.standardSeconds(PROGRESS_SECONDS))) == null
        || !state.isTerminal()) {
      Map<String, Long> c = Summary.counters(result);
      LOG.info("progress: {}/{} files, {} pages, {} chunks, {} images, {} dead letters, {} s",
          c.get(SplitCounters.FILES_SEEN), fileCount, c.get(SplitCounters.PAGES), c.get(SplitCounters.TEXT_CHUNKS),
          c.get(SplitCounters.PAGE_IMAGES) + c.get(SplitCounters.EMBEDDED_IMAGES), c.get(SplitCounters.DEAD_LETTERS),
          (System.nanoTime() - started) / 1_000_000_000L);
    }
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + state);
    }
    return Summary.of(Summary.counters(result), (System.nanoTime() - started) / 1e9);
  }

  private static final Pattern OUR_SHARD = Pattern.compile("(elements|dead-letters)-\\d{5}-of-\\d{5}\\.jsonl");
  private static final Pattern OUR_IMAGE = Pattern.compile("[0-9a-f]{32}\\.(png|jpg)");

  /**
   * Deletes the shards and images an earlier run wrote to the same output, so that a rerun with a
   * different shard count leaves no stale files. Only files named like ours are touched.
   */
  static void removePreviousOutput(String output) throws IOException {
    List<ResourceId> stale = new ArrayList<>();
    for (String glob : List.of(output + "/elements/*", output + "/dead-letters/*", output + "/images/*")) {
      MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK) {
        continue;
      }
      for (MatchResult.Metadata md : m.metadata()) {
        String name = md.resourceId().getFilename();
        if (name != null && (OUR_SHARD.matcher(name).matches() || OUR_IMAGE.matcher(name).matches())) {
          stale.add(md.resourceId());
        }
      }
    }
    if (!stale.isEmpty()) {
      FileSystems.delete(stale);
      LOG.info("removed {} files of an earlier run from {}", stale.size(), output);
    }
  }
}

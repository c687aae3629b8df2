package dev.pagebeam.pipeline.ingest;

import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.pipeline.incremental.FileIncremental;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.pipeline.output.OutputLayout;
import dev.pagebeam.pipeline.runner.Progress;
import dev.pagebeam.pipeline.runner.RunnerSetup;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Create;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest command's job: {@link IngestPdfs} configured by an {@link IngestConfig}, run on the
 * runner the options choose, with progress lines while it runs and a {@link Summary} at the end.
 * Holds no state that changes: the graph is a function of the configuration.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

  private final PagebeamOptions options;
  private final IngestConfig config;

  private IngestJob(PagebeamOptions options, IngestConfig config) {
    this.options = options;
    this.config = config;
  }

  /** Validates the configuration and resolves the inputs; throws with what to do when it can't work. */
  public static IngestJob prepare(PagebeamOptions options) throws IOException {
    return new IngestJob(options, IngestConfig.prepare(options));
  }

  public long fileCount() {
    return config.fileCount();
  }

  public List<String> patterns() {
    return config.patterns();
  }

  /** The job's pipeline, built but not run (what a runner would serialize). */
  public Pipeline newPipeline() {
    return newPipeline(config);
  }

  private Pipeline newPipeline(IngestConfig c) {
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply("Inputs", Create.of(c.patterns())).apply("IngestPdfs", IngestPdfs.with(c));
    return pipeline;
  }

  /** Runs to completion, logging progress every few seconds, and returns the summary. */
  public Summary run() throws IOException {
    SinkTarget sink = config.sink();
    boolean fileSink = config.encodes() && sink.kind() == SinkTarget.Kind.FILE;
    // before anything is removed: the earlier run's shards go aside, to be kept or left behind
    boolean previous = fileSink && FileIncremental.stash(sink.directory(), config.startsOver());
    if (previous && FileIncremental.madeUnderOtherSettings(sink.directory(), config.fingerprint())) {
      // nothing to carry; the stash stays until this run succeeds, so a crash still falls back to it
      LOG.info("the vectors in {} were made under other settings (model, chunking or images): every document is"
          + " embedded again, as with --full", sink.directory());
      previous = false;
    }
    IngestConfig run = config.withPreviousFileRun(previous,
        previous ? FileIncremental.previousEntries(sink.directory()) : 0);
    // an incremental file run keeps the image files of the documents it skips
    OutputLayout.removePreviousOutput(config.output(), !previous);
    if (fileSink && !sink.directory().equals(config.output())) {
      OutputLayout.removePreviousOutput(sink.directory(), !previous);
    }
    LOG.info("ingest: {} files from {} -> {} ({})", config.fileCount(), config.patterns(), config.output(), config);
    Pipeline pipeline = newPipeline(run);
    long started = System.nanoTime();
    Progress.Lines lines = new Progress.Lines(config.fileCount());
    PipelineResult result = RunnerSetup.run(pipeline, options, config.modelEncodesImages(),
        snapshot -> LOG.info(lines.next(snapshot, (System.nanoTime() - started) / 1e9)));
    if (fileSink) {
      FileIncremental.unstash(sink.directory());
    }
    Map<String, Long> counters = Summary.counters(result);
    return Summary.of(counters, (System.nanoTime() - started) / 1e9, config.modelId(), config.dimension())
        .withSink(config.encodes() ? sink.toString() : null)
        .withRunner(RunnerSetup.describe(options));
  }
}

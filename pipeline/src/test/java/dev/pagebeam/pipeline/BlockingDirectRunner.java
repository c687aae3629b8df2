package dev.pagebeam.pipeline;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipelineExtension;

/** The pipeline tests' runner: the DirectRunner, whose run() returns once the pipeline is done. */
public final class BlockingDirectRunner {
  private BlockingDirectRunner() {}

  public static TestPipelineExtension extension() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setBlockOnRun(true);
    return TestPipelineExtension.fromOptions(options);
  }
}

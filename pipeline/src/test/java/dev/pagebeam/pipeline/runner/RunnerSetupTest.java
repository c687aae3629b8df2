package dev.pagebeam.pipeline.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded cluster's REST port is read from the configuration it runs with, not fixed at class load. */
class RunnerSetupTest {
  @TempDir Path dir;

  private static FlinkPipelineOptions withConf(Path conf) {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setFlinkConfDir(conf.toString());
    return o;
  }

  @Test
  void theLoopbackConfigurationsPortIsTheOneProgressAsks() throws Exception {
    Path conf = RunnerSetup.loopbackConfDir();
    String yaml = Files.readString(conf.resolve("config.yaml"));
    assertThat(yaml).contains("rest.address: 127.0.0.1");
    int port = RunnerSetup.localRestPort(withConf(conf));
    assertThat(port).isPositive().isNotEqualTo(RunnerSetup.DEFAULT_REST_PORT);
    assertThat(yaml).contains("rest.port: " + port);
  }

  @Test
  void aUsersConfigurationIsReadAndFlinksDefaultStandsWhereItNamesNone() throws Exception {
    Files.writeString(dir.resolve("config.yaml"), "jobmanager.rpc.address: 127.0.0.1\n  rest.port: 18093 \n");
    assertThat(RunnerSetup.localRestPort(withConf(dir))).isEqualTo(18093);
    Files.writeString(dir.resolve("config.yaml"), "rest.address: 127.0.0.1\n");
    assertThat(RunnerSetup.localRestPort(withConf(dir))).isEqualTo(8081);
  }
}

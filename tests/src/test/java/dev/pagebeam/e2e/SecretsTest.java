package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.io.TestServers;
import dev.pagebeam.pipeline.ingest.IngestJob;
import dev.pagebeam.pipeline.cli.PagebeamCli;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Milvus token never travels with the job: not in any DoFn as runners serialize them, not in the
 * pipeline's portable form, not in the serialized options; and a run with MILVUS_TOKEN set puts it
 * in no output and no log.
 */
class SecretsTest {
  static final String TOKEN = "root:Pgb-S3cr3t-7f3a9c";

  @TempDir Path out;

  @Test
  void noSerializedPartOfThePipelineHoldsTheToken() throws Exception {
    String milvus = TestServers.address("MILVUS");
    PagebeamOptions options = PagebeamCli.parse(new String[] {"--output=" + out, "--writeImages=false",
        "--sink=milvus://" + milvus + "/" + TestServers.uniqueCollection("secret"), "--milvusToken=" + TOKEN});
    Pipeline pipeline = IngestJob.prepare(options).newPipeline();

    // every DoFn, serialized as the classic runners (Flink, the DirectRunner) ship them
    List<byte[]> serialized = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        PTransform<?, ?> t = node.getTransform();
        if (t instanceof ParDo.MultiOutput) {
          DoFn<?, ?> fn = ((ParDo.MultiOutput<?, ?>) t).getFn();
          serialized.add(SerializableUtils.serializeToByteArray(fn));
        }
      }
    });
    assertThat(serialized).hasSizeGreaterThan(10);
    for (byte[] fn : serialized) {
      assertThat(contains(fn, TOKEN)).as("a serialized DoFn holds the token").isFalse();
    }
    // the portable form, and the options as runners ship them (Java-serialized, as JSON) and print them
    assertThat(contains(PipelineTranslation.toProto(pipeline).toByteArray(), TOKEN)).isFalse();
    ByteArrayOutputStream opts = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(opts)) {
      o.writeObject(new SerializablePipelineOptions(options));
    }
    assertThat(contains(opts.toByteArray(), TOKEN)).isFalse();
    assertThat(options.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aRunWithMilvusTokenSetPutsItInNoOutputAndNoLog() throws Exception {
    String collection = TestServers.uniqueCollection("secret");
    ProcessBuilder pb = new ProcessBuilder(Launcher.command("ingest", "--output=" + out,
        "--sink=milvus://" + TestServers.address("MILVUS") + "/" + collection)).redirectErrorStream(true);
    pb.environment().put("MILVUS_TOKEN", TOKEN);
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(log).isZero();
    assertThat(log).contains("SUMMARY").doesNotContain(TOKEN);
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(contains(Files.readAllBytes(f), TOKEN)).as("%s holds the token", f).isFalse();
      }
    }
  }

  static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}

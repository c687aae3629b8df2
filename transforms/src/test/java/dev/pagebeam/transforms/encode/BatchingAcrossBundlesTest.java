package dev.pagebeam.transforms.encode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.transforms.model.DeviceRequest;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelSpec;
import dev.pagebeam.transforms.elements.PdfElement;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The keyed encoder keeps its batches full however the elements arrive: 64 chunks, each in a
 * bundle of its own (a TestStream), make 8 model runs of 8, not 64 runs of 1.
 */
@ExtendWith(TestPipelineExtension.class)
class BatchingAcrossBundlesTest {
  @Test
  void sixtyFourSingleElementBundlesMakeEightFullBatches(TestPipeline p) throws Exception {
    ModelSpec spec = new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2-q"), DeviceRequest.parse("cpu"), 2, 0);
    // one shard key, batches of 8, the DirectRunner's batching
    EncodeSettings settings = EncodeSettings.of(spec).withMaxBufferingSeconds(600);
    List<PdfElement> chunks = EncodePdfElementsTest.chunks(64);
    TestStream.Builder<PdfElement> stream = TestStream.create(PdfElement.ElementCoder.of());
    for (PdfElement chunk : chunks) {
      stream = stream.addElements(chunk); // each its own bundle
    }
    // an unbounded input needs a trigger for the runner's own grouping; the batching is the encoder's
    EncodePdfElements.Result out = p.apply(stream.advanceWatermarkToInfinity())
        .apply(Window.<PdfElement>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1))).discardingFiredPanes())
        .apply(EncodePdfElements.with(settings));
    PAssert.that(out.embedded()).satisfies(all -> {
      assertThat(all).hasSize(64);
      return null;
    });

    Map<String, Long> c = EncodePdfElementsTest.counters(p.run());
    assertThat(c.get(EncodeCounters.ENCODED)).isEqualTo(64);
    assertThat(c.get(EncodeCounters.BATCHES)).as("model runs").isEqualTo(8);
    double fill = (double) c.get(EncodeCounters.BATCH_SLOTS_USED) / c.get(EncodeCounters.BATCH_SLOTS);
    assertThat(fill).as("mean batch fill").isEqualTo(1.0);
  }
}

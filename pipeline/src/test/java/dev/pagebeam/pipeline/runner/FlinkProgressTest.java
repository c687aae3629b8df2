package dev.pagebeam.pipeline.runner;

import dev.pagebeam.pipeline.output.Json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading a Flink job's progress from its REST answers. The JSON has the shape (vertex names,
 * plan inputs, Beam's accumulator with its base64 varint payloads) of what a 1.19 JobManager
 * answered during a 2,224-page ingest on the local cluster, cut down to the vertices that count.
 */
class FlinkProgressTest {
  static final String VERTICES = "[{\"id\":\"f1\",\"name\":\"CHAIN GroupReduce (GroupReduce at translateNode) -> FlatMap"
      + " (FlatMap at SplitPdfs/SpreadFiles/Values/Values/Map/ParMultiDo(Anonymous))\",\"status\":\"FINISHED\","
      + "\"metrics\":{\"read-records\":9,\"write-records\":9}},"
      + "{\"id\":\"u1\",\"name\":\"Filter (UnionFixFilter)\",\"status\":\"FINISHED\","
      + "\"metrics\":{\"read-records\":10065,\"write-records\":10065}},"
      + "{\"id\":\"e1\",\"name\":\"FlatMap (FlatMap at EncodePdfElements/EncodeBatches)\",\"status\":\"RUNNING\","
      + "\"metrics\":{\"read-records\":5030,\"write-records\":3664}},"
      + "{\"id\":\"e2\",\"name\":\"FlatMap (FlatMap at EncodePdfElements/EncodeBatches.out1)\",\"status\":\"CREATED\","
      + "\"metrics\":{\"read-records\":0,\"write-records\":0}}]";
  static final String PLAN = "{\"plan\":{\"nodes\":[{\"id\":\"f1\"},{\"id\":\"u1\",\"inputs\":[{\"num\":0,\"id\":\"x\"}]},"
      + "{\"id\":\"e1\",\"inputs\":[{\"num\":0,\"id\":\"u1\",\"ship_strategy\":\"FORWARD\"}]},"
      + "{\"id\":\"e2\",\"inputs\":[{\"num\":0,\"id\":\"e1\"}]}]}}";

  static String accumulators(String... counters) {
    StringBuilder metrics = new StringBuilder("{\"metrics\":{\"attempted\":[");
    for (int i = 0; i < counters.length; i += 3) {
      metrics.append(i == 0 ? "" : ",").append("{\"urn\":\"beam:metric:user:sum_int64:v1\",\"type\":"
          + "\"beam:metrics:sum_int64:v1\",\"payload\":\"").append(counters[i + 2]).append("\",\"labels\":{"
          + "\"NAMESPACE\":\"").append(counters[i]).append("\",\"NAME\":\"").append(counters[i + 1])
          .append("\",\"PTRANSFORM\":\"SplitPdfs/ExtractPages\"}}");
    }
    String value = metrics.append("]}}").toString();
    return "{\"job-accumulators\":[],\"user-task-accumulators\":[{\"name\":\"__metricscontainers\","
        + "\"type\":\"MetricsAccumulator\",\"value\":" + Json.MAPPER.valueToTree(value) + "}]}";
  }

  static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void pagebeamsCountersAreDecodedAndSummedOverSteps() throws Exception {
    // "oD0=" is the varint 7840, "XQ==" 93, "CQ==" 9; other namespaces are not pagebeam's
    Map<String, Long> c = FlinkProgress.beamCounters(json(accumulators("pagebeam", "pages", "oD0=",
        "pagebeam", "pages", "XQ==", "pagebeam", "dead_letters", "CQ==", "org.apache.beam.sdk.transforms.join"
            + ".CoGbkResult", "pages", "CQ==")));
    assertThat(c).containsEntry("pages", 7840L + 93L).containsEntry("dead_letters", 9L).hasSize(2);
  }

  @Test
  void noFinishedTaskOrAnotherFormMeansNoCounters() throws Exception {
    assertThat(FlinkProgress.beamCounters(json("{\"job-accumulators\":[],\"user-task-accumulators\":[]}"))).isEmpty();
    assertThat(FlinkProgress.beamCounters(json("{\"user-task-accumulators\":[{\"name\":\"__metricscontainers\","
        + "\"value\":\"MetricsContainerStepMap@1a2b\"}]}"))).isEmpty();
  }

  /** The split's counters of the 2,224-page run: 7,841 text chunks, no embedded images. */
  static final Map<String, Long> SPLIT = Map.of("pages", 2224L, "text_chunks", 7841L, "page_images", 2224L,
      "embedded_images", 0L);

  @Test
  void theEncodersWorkIsItsVectorsAgainstThoseTheSplitsCountersPredict() throws Exception {
    Progress.Snapshot s = FlinkProgress.snapshot(json(VERTICES), FlinkProgress.inputs(json(PLAN)),
        FlinkProgress.beamCounters(json(accumulators("pagebeam", "pages", "oD0=", "pagebeam", "text_chunks",
            "oT0="))), false);
    assertThat(s.files).isEqualTo(9);
    assertThat(s.pages).isEqualTo(7840);
    assertThat(s.encoderInput).as("the 7,841 chunks; not the 10,065 records with thumbnails").isEqualTo(7841);
    assertThat(s.encoderTaken).as("its vectors, not the records it has read").isEqualTo(3664);
    assertThat(s.vectors).isEqualTo(3664);
    assertThat(s.deadLetters).as("not counted by any finished task yet").isEqualTo(-1);
    // 3,664 of 7,841 in 239 s: the 4,177 left take about 272 s more
    assertThat(Progress.line(s, 9, 239)).isEqualTo(
        "progress: 9/9 files, 7840 pages, 3664 vectors (15.3/s), ETA 5 min, 239 s");
  }

  /** The snapshot of VERTICES with each pair of {@code edits} (text, replacement) applied, and the plan. */
  static Progress.Snapshot edited(Map<String, Long> counters, boolean images, String... edits) throws Exception {
    String vertices = VERTICES;
    for (int i = 0; i < edits.length; i += 2) {
      assertThat(vertices).contains(edits[i]);
      vertices = vertices.replace(edits[i], edits[i + 1]);
    }
    return FlinkProgress.snapshot(json(vertices), FlinkProgress.inputs(json(PLAN)), counters, images);
  }

  static final String ENCODER_METRICS = "\"read-records\":5030,\"write-records\":3664";

  @Test
  void thumbnailsReadAtTheStartDoNotMakeTheEncoderLookNearlyDone() throws Exception {
    // the encoder has read 9,800 of its 10,065 records (the 2,224 thumbnails among them came first
    // and cost nothing) but made only 1,200 of 7,841 vectors: by its read count it would be 97 % done
    Progress.Snapshot s = edited(SPLIT, false, ENCODER_METRICS, "\"read-records\":9800,\"write-records\":1200");
    assertThat(Progress.fraction(s, 9)).isCloseTo(1200 / 7841.0, org.assertj.core.data.Offset.offset(1e-9));
    Progress.Lines lines = new Progress.Lines(9);
    lines.next(edited(SPLIT, false, ENCODER_METRICS, "\"read-records\":9000,\"write-records\":800"), 200);
    // 400 vectors in 20 s: the 6,641 left take 332 s, not seconds
    assertThat(lines.next(s, 220)).contains("1200 vectors").contains("ETA 6 min");
  }

  @Test
  void aModelThatEncodesImagesExpectsItsImagesAndTheirTextToo() {
    Map<String, Long> c = Map.of("text_chunks", 100L, "page_images", 20L, "embedded_images", 10L,
        "images_without_text", 4L);
    assertThat(Progress.expectedVectors(c, false)).as("chunks and the 6 images with text").isEqualTo(106);
    assertThat(Progress.expectedVectors(c, true)).as("and every image as an image").isEqualTo(136);
    assertThat(Progress.expectedVectors(Map.of("pages", 3L), false)).as("no chunks counted yet").isEqualTo(-1);
  }

  @Test
  void theEndIsWhenTheVectorsAreAllMade() throws Exception {
    Progress.Snapshot s = edited(SPLIT, false, ENCODER_METRICS, "\"read-records\":10065,\"write-records\":7841");
    assertThat(s.vectors).isEqualTo(7841);
    assertThat(Progress.fraction(s, 9)).isEqualTo(1.0);
    assertThat(Progress.line(s, 9, 412)).isEqualTo("progress: 9/9 files, 2224 pages, 7841 vectors (19.0/s), 412 s");
  }

  @Test
  void whileTheProducersStillSplitThereIsNoEta() throws Exception {
    // counters of the tasks finished so far are not the whole split's: an ETA from them said 10 s
    Progress.Snapshot s = edited(SPLIT, false, "(UnionFixFilter)\",\"status\":\"FINISHED\"",
        "(UnionFixFilter)\",\"status\":\"RUNNING\"");
    assertThat(s.encoderTaken).isEqualTo(3664);
    assertThat(s.encoderInput).isZero();
    assertThat(Progress.line(s, 9, 239)).doesNotContain("ETA");
  }

  @Test
  void withoutTheSplitsCountersThereIsNoEta() throws Exception {
    Progress.Snapshot s = edited(Map.of(), false);
    assertThat(s.encoderInput).isZero();
    assertThat(Progress.line(s, 9, 239)).doesNotContain("ETA");
  }

  @Test
  void withoutAPlanTheEncodersOwnReadCountIsTheInput() throws Exception {
    Progress.Snapshot s = FlinkProgress.snapshot(json(VERTICES), Map.of(), Map.of(), false);
    assertThat(s.encoderInput).isEqualTo(5030);
    assertThat(s.encoderTaken).isEqualTo(3664);
    assertThat(s.pages).isEqualTo(-1);
    assertThat(Progress.line(s, 9, 239)).doesNotContain("pages");
  }

  @Test
  void planInputsAreReadPerVertex() throws Exception {
    assertThat(FlinkProgress.inputs(json(PLAN))).containsEntry("e1", List.of("u1")).containsEntry("f1", List.of());
  }
}

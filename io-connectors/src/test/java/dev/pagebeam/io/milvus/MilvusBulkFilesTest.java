package dev.pagebeam.io.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.TestServers;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.CollectionGuard;
import dev.pagebeam.io.store.VectorStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Milvus bulk-import files against the Milvus SDK's own bulk writer and against what the upsert
 * path stores. Milvus Lite does not implement import (its server answers UNIMPLEMENTED), so the
 * files are checked by pymilvus's LocalBulkWriter, which validates every row against the real
 * collection's schema and writes the Parquet schema Milvus expects, and by the rows the same
 * records make when upserted into the collection.
 */
@ExtendWith(TestPipelineExtension.class)
public class MilvusBulkFilesTest {
  private static final int DIMENSION = 8;

  @TempDir
  Path tmp;

  @Test
  void filesHoldTheRowsAnUpsertStoresInTheSchemaTheSdkWrites(TestPipeline p) throws Exception {
    MilvusConnector connector = newCollection();
    String dir = tmp.resolve("bulk").toString();
    MilvusBulkFiles write = MilvusBulkFiles.prepare(connector, dir, DIMENSION);

    List<VectorRecord> good = new ArrayList<>();
    good.add(new VectorRecord("a".repeat(32), "d".repeat(64), "text_chunk", "/corpus/Gr\u00fc\u00dfe \u6587\u66f8.pdf", 3,
        "Installing the mutexes \u2603 \uD834\uDD1E: run make install", "/corpus/x.pdf#page=3&chars=0-50",
        "c".repeat(64), "test-model", vector(1)).withPage("/out/images/t.png", "text_layer"));
    // an image with no text of its own
    good.add(new VectorRecord("b".repeat(32), "d".repeat(64), "embedded_image", "/corpus/x.pdf", 4, null,
        "/out/images/b.png", "c".repeat(64), "test-model", vector(2)));
    // 70,000 two-byte characters: more than a VARCHAR holds, clipped on both paths alike
    good.add(new VectorRecord("c".repeat(32), "e".repeat(64), "text_chunk", "/corpus/y.pdf", 1,
        "\u00e9".repeat(70_000), "/corpus/y.pdf#page=1", "c".repeat(64), "test-model", vector(3)));
    List<VectorRecord> all = new ArrayList<>(good);
    all.add(new VectorRecord("f".repeat(32), "d".repeat(64), "text_chunk", "/corpus/x.pdf", 5, "short vector",
        "/corpus/x.pdf#page=5", "c".repeat(64), "test-model", new float[DIMENSION - 1]));
    float[] nan = vector(4);
    nan[2] = Float.NaN;
    all.add(new VectorRecord("e".repeat(32), "d".repeat(64), "text_chunk", "/corpus/x.pdf", 6, "nan", "/corpus/x.pdf",
        "c".repeat(64), "test-model", nan));

    PCollection<SinkFailure> failed = p.apply(Create.of(all).withCoder(VectorRecord.RecordCoder.of())).apply(write);
    PAssert.that(failed).satisfies(failures -> {
      Map<String, String> reasons = new TreeMap<>();
      failures.forEach(f -> reasons.put(f.recordId(), f.reason()));
      assertThat(reasons).containsOnlyKeys("e".repeat(32), "f".repeat(32));
      assertThat(reasons.get("f".repeat(32))).contains("7 dimensions");
      assertThat(reasons.get("e".repeat(32))).contains("NaN at index 2");
      return null;
    });
    p.run().waitUntilFinish();

    List<MatchResult.Metadata> files = MilvusBulkFiles.existingFiles(dir);
    assertThat(files).isNotEmpty();
    // the same records through the upsert path, into the same collection
    try (VectorStore store = connector.open()) {
      store.upsert(good);
    }
    JsonNode checked = check(connector, files);
    assertThat(checked.get("ours")).isEqualTo(checked.get("sdk"));
    assertThat(checked.get("ours").has("sparse")).isFalse();
    assertThat(checked.get("ours").get("vector").asText()).isEqualTo("list<element: float>");
    Map<String, JsonNode> rows = byId(checked.get("rows"));
    Map<String, JsonNode> stored = byId(checked.get("stored"));
    assertThat(rows).containsOnlyKeys("a".repeat(32), "b".repeat(32), "c".repeat(32));
    assertThat(stored).containsOnlyKeys(rows.keySet());
    for (String id : rows.keySet()) {
      JsonNode row = rows.get(id);
      JsonNode upserted = stored.get(id);
      row.fieldNames().forEachRemaining(field -> {
        if (field.equals("vector")) {
          for (int i = 0; i < DIMENSION; i++) {
            assertThat((float) row.get(field).get(i).asDouble()).as(id + " vector[" + i + "]")
                .isEqualTo((float) upserted.get(field).get(i).asDouble());
          }
        } else {
          assertThat(row.get(field)).as(id + "." + field).isEqualTo(upserted.get(field));
        }
      });
    }
    JsonNode a = rows.get("a".repeat(32));
    assertThat(a.get("text").asText()).isEqualTo("Installing the mutexes \u2603 \uD834\uDD1E: run make install");
    assertThat(a.get("source").asText()).isEqualTo("/corpus/Gr\u00fc\u00dfe \u6587\u66f8.pdf");
    assertThat(a.get("page").asLong()).isEqualTo(3);
    assertThat(a.get("thumbnail").asText()).isEqualTo("/out/images/t.png");
    assertThat(a.get("lexical").asText()).contains("mutex").contains("instal");
    assertThat((float) a.get("vector").get(5).asDouble()).isEqualTo(vector(1)[5]);
    assertThat(rows.get("b".repeat(32)).get("text").asText()).isEmpty();
    assertThat(rows.get("c".repeat(32)).get("text").asText().getBytes(StandardCharsets.UTF_8).length)
        .isEqualTo(65_534);

    try (VectorStore store = connector.open()) {
      store.drop();
    }
  }

  @Test
  void refusesACollectionThatHoldsRecordsAndFilesOfAnEarlierRun() throws Exception {
    MilvusConnector connector = newCollection();
    Path dir = Files.createDirectories(tmp.resolve("earlier"));
    Files.writeString(dir.resolve("vectors-00000-of-00001.parquet"), "an earlier run's file");
    assertThatThrownBy(() -> MilvusBulkFiles.prepare(connector, dir.toString(), DIMENSION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already holds 1 bulk files").hasMessageContaining("import or remove them");
    try (VectorStore store = connector.open()) {
      store.upsert(List.of(new VectorRecord("a".repeat(32), "d".repeat(64), "text_chunk", "/corpus/x.pdf", 1, "text",
          "/corpus/x.pdf", "c".repeat(64), "test-model", vector(1))));
    }
    assertThatThrownBy(() -> MilvusBulkFiles.prepare(connector, tmp.resolve("empty").toString(), DIMENSION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 1 records").hasMessageContaining("Run without --milvusBulk");
    try (VectorStore store = connector.open()) {
      store.drop();
    }
  }

  @Test
  void importOnMilvusLiteSaysItCannotAndWhatToDo() throws Exception {
    MilvusConnector connector = newCollection();
    List<String> lines = new ArrayList<>();
    assertThatThrownBy(() -> MilvusBulkImport.run(connector, List.of("bulk/vectors-00000-of-00001.parquet"), 10,
        lines::add))
        .isInstanceOf(MilvusBulkImport.ImportException.class)
        .hasMessageContaining("does not implement import").hasMessageContaining("without --milvusBulk");
    assertThat(lines).isEmpty();
    assertThatThrownBy(() -> MilvusBulkImport.run(connector, List.of(), 10, lines::add))
        .hasMessageContaining("no files to import");
    try (VectorStore store = connector.open()) {
      store.drop();
    }
  }

  /** A new pagebeam collection of {@link #DIMENSION} on the test server. */
  private static MilvusConnector newCollection() throws Exception {
    MilvusConnector connector = (MilvusConnector) TestServers.connector("milvus", TestServers.uniqueCollection("bulk"));
    try (VectorStore store = connector.open()) {
      CollectionGuard.prepare(store, "test-model", DIMENSION, false);
    }
    return connector;
  }

  private static float[] vector(int seed) {
    float[] v = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) Math.sin(seed * 31 + i * 0.7);
    }
    return v;
  }

  private static Map<String, JsonNode> byId(JsonNode rows) {
    Map<String, JsonNode> m = new HashMap<>();
    rows.forEach(r -> m.put(r.get("id").asText(), r));
    return m;
  }

  /** Runs scripts/fixtures/check-milvus-bulk.py in the Milvus Lite install's Python (it has pymilvus and pyarrow). */
  private JsonNode check(MilvusConnector connector, List<MatchResult.Metadata> files) throws Exception {
    Path home = Path.of(System.getProperty("pagebeam.home", "..")).toAbsolutePath().normalize();
    List<String> command = new ArrayList<>(List.of(home.resolve("tools/milvus-lite/bin/python").toString(),
        home.resolve("scripts/fixtures/check-milvus-bulk.py").toString(), connector.uri(),
        connector.collection(), Files.createDirectories(tmp.resolve("sdk")).toString()));
    files.forEach(f -> command.add(f.resourceId().toString()));
    Process process = new ProcessBuilder(command).redirectError(tmp.resolve("check.err").toFile()).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(tmp.resolve("check.err"))).isZero();
    String json = out.toString(StandardCharsets.UTF_8).strip();
    return new ObjectMapper().readTree(json.substring(json.lastIndexOf("\n") + 1));
  }
}

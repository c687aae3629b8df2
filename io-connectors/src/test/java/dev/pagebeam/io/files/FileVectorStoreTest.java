package dev.pagebeam.io.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.SearchHit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink's shards read back through the admin and searcher roles. */
class FileVectorStoreTest {
  @TempDir Path dir;

  private static VectorRecord record(int i, String type, float[] vector) {
    return new VectorRecord("id-" + i, "doc", type, "/data/a.pdf", 1 + i / 10, "text number " + i, "/data/a.pdf#page=1",
        "hash" + i, "m", vector);
  }

  @Test
  void countsSearchesAndSamplesTheShards() throws Exception {
    Path vectors = dir.resolve("vectors");
    Files.createDirectories(vectors);
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String type = i % 4 == 3 ? "page_image" : "text_chunk";
      float[] v = {i == 17 ? 1f : 0.1f, i == 17 ? 0f : 1f};
      (i < 20 ? first : second).add(FileVectorSink.toJson(record(i, type, v)));
    }
    Files.write(vectors.resolve("vectors-00000-of-00002.jsonl"), first);
    Files.write(vectors.resolve("vectors-00001-of-00002.jsonl"), second);
    try (FileVectorStore store = new FileVectorStore(dir.toString())) {
      assertThat(store.count()).isEqualTo(40);
      assertThat(store.existing(List.of("id-3", "id-99"))).containsExactly("id-3");
      List<SearchHit> hits = store.search(new float[] {1f, 0f}, 3);
      assertThat(hits).hasSize(3);
      assertThat(hits.get(0).id()).isEqualTo("id-17");

      Map<String, String> samples = store.sampleTexts(5, 30);
      assertThat(samples).hasSize(5);
      assertThat(samples.keySet()).allSatisfy(id -> assertThat(Integer.parseInt(id.substring(3)) % 4).isNotEqualTo(3));
      samples.forEach((id, text) -> assertThat(text).isEqualTo("text number " + id.substring(3)));
      // spread over the chunks (both shards), not the first five read
      assertThat(samples.keySet()).anySatisfy(id -> assertThat(Integer.parseInt(id.substring(3))).isLessThan(20));
      assertThat(samples.keySet()).anySatisfy(id -> assertThat(Integer.parseInt(id.substring(3))).isGreaterThanOrEqualTo(20));
    }
  }
}

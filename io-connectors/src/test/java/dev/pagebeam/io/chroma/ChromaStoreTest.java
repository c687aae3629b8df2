package dev.pagebeam.io.chroma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.io.TestServers;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.CollectionGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chroma specifics, against the real server. */
class ChromaStoreTest {
  @Test
  void upsertsAboveTheServersMaxBatchSizeAreSentInSeveralRequests() throws Exception {
    // Chroma's clients must keep each request within the max_batch_size of its pre-flight check.
    String preflight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + TestServers.address("CHROMA") + "/api/v2/pre-flight-checks")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    int serverMax = new ObjectMapper().readTree(preflight).get("max_batch_size").asInt();
    ChromaConnector connector = (ChromaConnector) TestServers.connector("chroma",
        TestServers.uniqueCollection("batch"));
    try (ChromaStore store = (ChromaStore) connector.open()) {
      assertThat(store.maxBatchSize()).isEqualTo(serverMax).isPositive();
      CollectionGuard.prepare(store, "test-model", 2, false);
      List<VectorRecord> records = new ArrayList<>();
      for (int i = 0; i < serverMax + 500; i++) {
        records.add(new VectorRecord(String.format("%032x", i), "d".repeat(64), "text_chunk", "/corpus/a.pdf", 1,
            "chunk " + i, "/corpus/a.pdf#page=1", "h".repeat(64), "test-model",
            new float[] {(float) Math.cos(i), (float) Math.sin(i)}));
      }
      store.upsert(records);
      assertThat(store.count()).isEqualTo(serverMax + 500);
      store.drop();
    }
  }
}

package dev.pagebeam.pipeline.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.io.store.SearchHit;
import org.junit.jupiter.api.Test;

/** The request parsing of pagebeam serve, without a server: what is accepted, and what each refusal says. */
class ServeRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void embeddingInputsAreAStringOrStringsNoneEmpty() throws Exception {
    assertThat(EmbeddingsApi.inputs(json("\"one\""))).containsExactly("one");
    assertThat(EmbeddingsApi.inputs(json("[\"a\",\"b\"]"))).containsExactly("a", "b");
    assertThatThrownBy(() -> EmbeddingsApi.inputs(null)).hasMessageContaining("'input' is required");
    assertThatThrownBy(() -> EmbeddingsApi.inputs(json("[]"))).hasMessageContaining("empty array");
    assertThatThrownBy(() -> EmbeddingsApi.inputs(json("[\"a\",\"  \"]"))).hasMessage("input[1] is empty");
    assertThatThrownBy(() -> EmbeddingsApi.inputs(json("[[1,2]]"))).hasMessageContaining("token arrays");
    assertThatThrownBy(() -> EmbeddingsApi.inputs(json("7"))).hasMessageContaining("not number");
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i <= EmbeddingsApi.MAX_INPUTS; i++) {
      many.append(i == 0 ? "" : ",").append("\"t\"");
    }
    assertThatThrownBy(() -> EmbeddingsApi.inputs(json(many + "]"))).hasMessageContaining("2049 texts; at most 2048");
  }

  @Test
  void theModelNameOrInputTypeSaysQueryOrDocumentAndAnotherModelIsRefused() throws Exception {
    EmbeddingsApi api = new EmbeddingsApi("bge-small-en-v1.5-q", 384, null);
    assertThat(api.isQuery("bge-small-en-v1.5-q", null)).isFalse();
    assertThat(api.isQuery("bge-small-en-v1.5-q:query", null)).isTrue();
    assertThat(api.isQuery("bge-small-en-v1.5-q", json("\"query\""))).isTrue();
    assertThat(api.isQuery("bge-small-en-v1.5-q", json("\"search_document\""))).isFalse();
    assertThat(api.isQuery("bge-small-en-v1.5-q:query", json("\"search_query\""))).isTrue();
    assertThatThrownBy(() -> api.isQuery("bge-small-en-v1.5-q:query", json("\"document\"")))
        .hasMessageContaining("embeds queries, but input_type is 'document'");
    assertThatThrownBy(() -> api.isQuery("text-embedding-3-small", null)).isInstanceOf(ApiError.class)
        .hasMessageContaining("not this collection's: it was written with bge-small-en-v1.5-q")
        .satisfies(e -> assertThat(((ApiError) e).status).isEqualTo(404));
    assertThatThrownBy(() -> api.isQuery("", null)).hasMessageContaining("'model' is required");
    assertThatThrownBy(() -> api.isQuery("bge-small-en-v1.5-q", json("\"code\"")))
        .hasMessageContaining("input_type 'code' is not query or document");
  }

  @Test
  void searchRequestsAreValidatedAndFiltersMatch() throws Exception {
    SearchApi.Request r = new SearchApi.Request(json("{\"q\":\"export\",\"k\":\"3\",\"type\":\"embedded_image,page_image\","
        + "\"source\":\"TICKET\",\"page_from\":2,\"page_to\":\"4\"}"), 5);
    assertThat(r.text).isEqualTo("export");
    assertThat(r.k).isEqualTo(3);
    assertThat(r.filtered()).isTrue();
    assertThat(r.matches(hit("embedded_image", "/d/ticket-1.pdf", 3))).isTrue();
    assertThat(r.matches(hit("text_chunk", "/d/ticket-1.pdf", 3))).isFalse();
    assertThat(r.matches(hit("page_image", "/d/manual.pdf", 3))).isFalse();
    assertThat(r.matches(hit("page_image", "/d/ticket-1.pdf", 1))).isFalse();
    assertThat(r.matches(hit("page_image", "/d/ticket-1.pdf", 5))).isFalse();
    SearchApi.Request plain = new SearchApi.Request(json("{\"text\":\"x\"}"), 5);
    assertThat(plain.k).isEqualTo(5);
    assertThat(plain.filtered()).isFalse();
    assertThatThrownBy(() -> new SearchApi.Request(json("{\"text\":\" \"}"), 5)).hasMessageContaining("'text' is empty");
    assertThatThrownBy(() -> new SearchApi.Request(json("{\"text\":\"x\",\"k\":101}"), 5))
        .hasMessage("k=101 is out of range: 1 to 100");
    assertThatThrownBy(() -> new SearchApi.Request(json("{\"text\":\"x\",\"page_from\":\"two\"}"), 5))
        .hasMessage("page_from='two' is not a whole number");
    assertThatThrownBy(() -> new SearchApi.Request(json("[\"x\"]"), 5)).hasMessageContaining("a JSON object");
    assertThatThrownBy(() -> new SearchApi.Request(json("{\"text\":\"" + "x".repeat(8193) + "\"}"), 5))
        .hasMessageContaining("8193 characters; at most 8192");
  }

  private static SearchHit hit(String type, String source, int page) {
    return new SearchHit("id", 0.5, type, source, page, "preview", "ref");
  }

  @Test
  void imageUrlsAreMadeOnlyFromTheNamesIngestWrites() {
    assertThat(ImageFiles.url("pagebeam-out/images/1e/1e7c7b5927001361849793d92b8fb7fe.png"))
        .isEqualTo("/images/1e/1e7c7b5927001361849793d92b8fb7fe.png");
    assertThat(ImageFiles.url("/data/out/images/ab/ab000000000000000000000000000000.jpg"))
        .isEqualTo("/images/ab/ab000000000000000000000000000000.jpg");
    assertThat(ImageFiles.url("/manuals/guide.pdf#page=3&chars=0-812")).isNull();
    assertThat(ImageFiles.url("images/../etc/passwd")).isNull();
    assertThat(ImageFiles.url(null)).isNull();
  }

  @Test
  void theHostHeadersNameIsReadWithoutItsPort() {
    assertThat(SearchServer.hostName("127.0.0.1:8765")).isEqualTo("127.0.0.1");
    assertThat(SearchServer.hostName("LocalHost")).isEqualTo("localhost");
    assertThat(SearchServer.hostName("[::1]:8765")).isEqualTo("[::1]");
    assertThat(SearchServer.hostName("[::1]")).isEqualTo("[::1]");
    assertThat(SearchServer.hostName("evil.example:80")).isEqualTo("evil.example");
    assertThat(SearchServer.hostName(null)).isEmpty();
  }

  @Test
  void percentilesAreNearestRank() {
    double[] sorted = new double[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(ServeMetrics.percentile(sorted, 0.5)).isEqualTo(50.0);
    assertThat(ServeMetrics.percentile(sorted, 0.99)).isEqualTo(99.0);
    assertThat(ServeMetrics.percentile(new double[] {7.25}, 0.99)).isEqualTo(7.3);
    assertThat(ServeMetrics.percentile(new double[0], 0.5)).isZero();
  }
}

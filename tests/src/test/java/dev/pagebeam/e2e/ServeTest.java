package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagebeam.io.TestServers;
import dev.pagebeam.pipeline.options.ServeOptions;
import dev.pagebeam.pipeline.serve.SearchServer;
import dev.pagebeam.pipeline.serve.ServeCommand;
import dev.pagebeam.transforms.model.Vectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pagebeam serve over the sample corpus on the file sink and on Chroma, through real HTTP: the
 * embeddings equal what ingest stored, the query model adds the query prefix, searches return the
 * expected page with image URLs that load, bad requests get a 4xx that says what is wrong and the
 * server keeps serving, and an API key is asked for when one is set.
 */
class ServeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String MODEL = "bge-small-en-v1.5-q";

  @TempDir static Path out;
  private static SearchServer fileServer;
  private static SearchServer chromaServer;
  private static String chromaSink;

  @BeforeAll
  static void ingestAndServe() throws Exception {
    IngestRun ingest = IngestRun.ingest(out.resolve("run"));
    assertThat(ingest.exitCode).as(ingest.stderr).isZero();
    fileServer = serve("--output=" + out.resolve("run"));
    chromaSink = "chroma://" + TestServers.address("CHROMA") + "/" + TestServers.uniqueCollection("serve");
    IngestRun chroma = IngestRun.ingest(out.resolve("chroma"), "--sink=" + chromaSink);
    assertThat(chroma.exitCode).as(chroma.stderr).isZero();
    chromaServer = serve("--output=" + out.resolve("chroma"), "--sink=" + chromaSink);
  }

  @AfterAll
  static void stop() {
    for (SearchServer s : new SearchServer[] {fileServer, chromaServer}) {
      if (s != null) {
        s.close();
      }
    }
  }

  static SearchServer serve(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--port=0"));
    all.addAll(List.of(args));
    ServeOptions o = PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).as(ServeOptions.class);
    return ServeCommand.start(o, false);
  }

  static String base(SearchServer s) {
    return "http://127.0.0.1:" + s.port();
  }

  static HttpResponse<String> post(SearchServer s, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(s) + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(SearchServer s, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(s) + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static float[] vector(JsonNode n) {
    float[] v = new float[n.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) n.get(i).asDouble();
    }
    return v;
  }

  /**
   * The served vector of each chunk equals the one ingest stored, where ingest embedded the chunk as
   * serve does: the fp32 model in batches (padding is masked), and the int8 default one text per
   * batch (--textBatchSize=1). At ingest's default batching, an int8 chunk's stored vector depends on
   * its batch neighbours (one quantization scale per batch), so it is only close: printed, not pinned.
   */
  @Test
  void embeddingsEqualTheVectorsIngestStored() throws Exception {
    System.out.printf("default ingest (int8, batched): worst cosine %.6f%n", worstCosine(fileServer,
        out.resolve("run"), MODEL));
    IngestRun alone = IngestRun.ingest(out.resolve("alone"), "--textBatchSize=1", "--writeImages=false");
    assertThat(alone.exitCode).as(alone.stderr).isZero();
    try (SearchServer s = serve("--output=" + out.resolve("alone"))) {
      double worst = worstCosine(s, out.resolve("alone"), MODEL);
      System.out.printf("ingest --textBatchSize=1 (int8): worst cosine %.6f%n", worst);
      assertThat(worst).isGreaterThanOrEqualTo(0.9999);
    }
    String fp32 = "all-minilm-l6-v2";
    IngestRun batched = IngestRun.ingest(out.resolve("fp32"), "--model=" + fp32, "--writeImages=false");
    assertThat(batched.exitCode).as(batched.stderr).isZero();
    try (SearchServer s = serve("--output=" + out.resolve("fp32"))) {
      double worst = worstCosine(s, out.resolve("fp32"), fp32);
      System.out.printf("default ingest (fp32, batched): worst cosine %.6f%n", worst);
      assertThat(worst).isGreaterThanOrEqualTo(0.9999);
    }
  }

  /** All the chunks of a run in one embeddings request: the worst cosine to the stored vectors. */
  private static double worstCosine(SearchServer server, Path run, String model) throws Exception {
    List<JsonNode> chunks = IngestRun.jsonLines(run.resolve("vectors")).stream()
        .filter(n -> n.path("type").asText().equals("text_chunk")).toList();
    assertThat(chunks).hasSizeGreaterThanOrEqualTo(5);
    StringBuilder body = new StringBuilder("{\"model\":\"" + model + "\",\"input\":[");
    for (int i = 0; i < chunks.size(); i++) {
      body.append(i == 0 ? "" : ",").append(JSON.writeValueAsString(chunks.get(i).get("text").asText()));
    }
    JsonNode answer = ok(post(server, "/v1/embeddings", body.append("]}").toString()));
    assertThat(answer.get("object").asText()).isEqualTo("list");
    assertThat(answer.get("model").asText()).isEqualTo(model);
    assertThat(answer.get("usage").get("prompt_tokens").asInt()).isGreaterThan(chunks.size() * 20);
    assertThat(answer.get("data")).hasSize(chunks.size());
    double worst = 1;
    for (int i = 0; i < chunks.size(); i++) {
      JsonNode d = answer.get("data").get(i);
      assertThat(d.get("index").asInt()).isEqualTo(i);
      assertThat(d.get("object").asText()).isEqualTo("embedding");
      float[] served = vector(d.get("embedding"));
      assertThat(served).hasSize(chunks.get(i).get("vector").size());
      worst = Math.min(worst, Vectors.cosine(served, vector(chunks.get(i).get("vector"))));
    }
    return worst;
  }

  @Test
  void aTextGetsTheSameVectorAloneBesideOthersAndAsBase64() throws Exception {
    String text = "\"Backflush the group head with a blind basket once a week.\"";
    float[] alone = embedding("{\"model\":\"" + MODEL + "\",\"input\":" + text + "}");
    float[] beside = vector(ok(post(fileServer, "/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":["
        + "\"a much longer neighbour about tide gauges, harbours and the sync server's peer certificates\","
        + text + "]}")).get("data").get(1).get("embedding"));
    assertThat(beside).containsExactly(alone);
    String b64 = ok(post(fileServer, "/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"encoding_format\":"
        + "\"base64\",\"input\":" + text + "}")).get("data").get(0).get("embedding").asText();
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
    float[] decoded = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(decoded);
    assertThat(decoded).containsExactly(alone);
    assertThat(ok(get(fileServer, "/metrics")).at("/embedding/texts_alone").asBoolean()).isTrue();
  }

  @Test
  void theQueryModelNameAndInputTypeAddTheQueryPrefix() throws Exception {
    String question = "\"how do I renew a peer certificate\"";
    float[] asDocument = embedding("{\"model\":\"" + MODEL + "\",\"input\":" + question + "}");
    float[] asQuery = embedding("{\"model\":\"" + MODEL + ":query\",\"input\":" + question + "}");
    float[] byType = embedding("{\"model\":\"" + MODEL + "\",\"input_type\":\"query\",\"input\":" + question + "}");
    assertThat(byType).containsExactly(asQuery);
    // bge's query prefix changes the vector: a client that skips it gets other neighbours
    assertThat(Vectors.cosine(asQuery, asDocument)).isLessThan(0.99);
    assertThat(ok(get(fileServer, "/v1/models")).findValuesAsText("id")).containsExactly(MODEL, MODEL + ":query");
  }

  private static float[] embedding(String body) throws Exception {
    return vector(ok(post(fileServer, "/v1/embeddings", body)).get("data").get(0).get("embedding"));
  }

  @Test
  void searchFindsThePageOnBothSinksWithImagesThatLoad() throws Exception {
    for (SearchServer s : new SearchServer[] {fileServer, chromaServer}) {
      JsonNode answer = ok(post(s, "/search", "{\"text\":\"the dialog stays at 99 percent while exporting the"
          + " ledger\",\"k\":3}"));
      JsonNode first = answer.get("hits").get(0);
      assertThat(first.get("name").asText()).as(answer.toString()).isEqualTo("ticket-4821-export-hangs.pdf");
      assertThat(first.get("page").asInt()).isEqualTo(1);
      assertThat(first.get("text").asText()).contains("Export hangs");
      assertThat(first.get("thumbnail_url").asText()).matches("/images/[0-9a-f]{2}/[0-9a-f]{32}\\.png");
      HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(base(s)
          + first.get("thumbnail_url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
      assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body())).getWidth()).isGreaterThan(50);

      // filters: images only, of one file, on page 1; and GET with query parameters
      JsonNode images = ok(get(s, "/search?q=export+progress+dialog&k=5&type=embedded_image&source=ticket-4821"
          + "&page_from=1&page_to=1"));
      assertThat(images.get("hits")).isNotEmpty().allSatisfy(h -> {
        assertThat(h.get("type").asText()).isEqualTo("embedded_image");
        assertThat(h.get("name").asText()).isEqualTo("ticket-4821-export-hangs.pdf");
        assertThat(h.get("image_url").asText()).startsWith("/images/");
      });
      assertThat(ok(get(s, "/search?q=export&type=embedded_image&page_from=5")).get("hits")).isEmpty();
    }
    // the file sink has BM25: an identifier on one page only is found by its words
    JsonNode lexical = ok(post(fileServer, "/search", "{\"text\":\"7421\",\"mode\":\"lexical\",\"k\":1}"));
    assertThat(lexical.get("hits").get(0).get("name").asText()).isEqualTo("lighthouse-sync-admin-guide.pdf");
  }

  @Test
  void badRequestsGetA4xxThatSaysWhatIsWrongAndTheServerKeepsServing() throws Exception {
    assertError(post(fileServer, "/v1/embeddings", "{\"model\":\"nomic-embed-text\",\"input\":\"x\"}"), 404,
        "not this collection's: it was written with " + MODEL);
    assertError(post(fileServer, "/v1/embeddings", "{\"model\":\"" + MODEL + "\"}"), 400, "'input' is required");
    assertError(post(fileServer, "/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[]}"), 400, "empty array");
    assertError(post(fileServer, "/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":[[101,2023]]}"), 400,
        "token arrays");
    assertError(post(fileServer, "/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":\"x\",\"dimensions\":1024}"),
        400, "384-dimension");
    assertError(post(fileServer, "/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":\"x\",\"input_type\":\"code\"}"),
        400, "input_type 'code'");
    assertError(post(fileServer, "/v1/embeddings", "this is not json"), 400, "the body is not JSON");
    assertError(post(fileServer, "/v1/embeddings", "a".repeat(10 << 20)), 413, "larger than 4 MB");
    // a chunked body has no length: it is cut off while it is read
    HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(base(fileServer) + "/v1/embeddings"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
            ("{\"model\":\"" + MODEL + "\",\"input\":\"" + "a".repeat(10 << 20) + "\"}").getBytes(StandardCharsets.UTF_8))))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertError(chunked, 413, "larger than 4 MB");
    assertError(post(fileServer, "/search", "{\"text\":\"   \"}"), 400, "'text' is empty");
    assertError(post(fileServer, "/search", "[1,2]"), 400, "JSON object");
    assertError(get(fileServer, "/search?text=x&k=0"), 400, "k=0 is out of range: 1 to 100");
    assertError(get(fileServer, "/search?text=x&k=ten"), 400, "k='ten' is not a whole number");
    assertError(get(fileServer, "/search?text=x&mode=fuzzy"), 400, "mode=fuzzy is not one of");
    assertError(get(chromaServer, "/search?text=x&mode=lexical"), 400, "Chroma 1.0 has no BM25");
    assertError(get(fileServer, "/images/00/..%2F..%2Fetc%2Fpasswd"), 404, "no image");
    assertError(get(fileServer, "/nowhere"), 404, "this server answers /search");
    assertThat(ok(get(fileServer, "/health")).get("status").asText()).isEqualTo("ok");

    JsonNode metrics = ok(get(fileServer, "/metrics"));
    assertThat(metrics.get("model").asText()).isEqualTo(MODEL);
    assertThat(metrics.get("dimension").asInt()).isEqualTo(384);
    assertThat(metrics.get("records").asLong()).isEqualTo(
        IngestRun.jsonLines(out.resolve("run/vectors")).size());
    assertThat(metrics.at("/endpoints/~1v1~1embeddings/errors").asLong()).isGreaterThanOrEqualTo(8);
    assertThat(metrics.at("/endpoints/~1search/latency_ms_p99").asDouble()).isGreaterThan(0);
  }

  private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains(message);
  }

  @Test
  void anApiKeyIsAskedForAndNeverShown() throws Exception {
    Path keyFile = out.resolve("key");
    String key = "pb-" + Long.toHexString(System.nanoTime());
    Files.writeString(keyFile, key + "\n", StandardCharsets.UTF_8);
    try (SearchServer s = serve("--output=" + out.resolve("run"), "--apiKeyFile=" + keyFile)) {
      assertError(get(s, "/search?q=export"), 401, "needs an API key");
      assertError(get(s, "/search?q=export", "Authorization", "Bearer wrong"), 401, "not this server's");
      assertThat(get(s, "/health").statusCode()).isEqualTo(200);
      assertThat(get(s, "/openapi.json").statusCode()).isEqualTo(200);
      JsonNode hits = ok(get(s, "/search?q=export", "Authorization", "Bearer " + key));
      assertThat(hits.get("hits")).isNotEmpty();
      String everything = get(s, "/metrics", "Authorization", "Bearer " + key).body() + hits;
      assertThat(everything).doesNotContain(key);
    }
  }

  /** A request sent as a browser sends it after DNS rebinding: to 127.0.0.1, with another name in Host. */
  private static String statusLine(SearchServer s, String host) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port())) {
      socket.getOutputStream().write(("GET /search?q=export HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void withoutAKeyOnlyRequestsAddressedToALocalNameAreAnswered() throws Exception {
    assertThat(statusLine(fileServer, "rebound.example:" + fileServer.port())).startsWith("HTTP/1.1 403")
        .contains("answers requests addressed to 127.0.0.1 or localhost only, not to 'rebound.example'");
    assertThat(statusLine(fileServer, "localhost:" + fileServer.port())).startsWith("HTTP/1.1 200");
    assertThat(statusLine(fileServer, "127.0.0.1:" + fileServer.port())).startsWith("HTTP/1.1 200");
  }

  @Test
  void itListensOnLoopbackOnly() throws Exception {
    List<java.net.InetAddress> others = java.net.NetworkInterface.networkInterfaces()
        .flatMap(java.net.NetworkInterface::inetAddresses).filter(a -> !a.isLoopbackAddress()).toList();
    for (java.net.InetAddress a : others) {
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(a, fileServer.port()), 2000);
        throw new AssertionError("pagebeam serve answers on " + a + ":" + fileServer.port());
      } catch (java.io.IOException refused) {
        // not listening there: as it should be
      }
    }
    System.out.println("serve is not reachable on " + others.size() + " non-loopback addresses: " + others);
  }

  @Test
  void openApiDescribesSearchForAnLlmTool() throws Exception {
    JsonNode spec = ok(get(fileServer, "/openapi.json"));
    assertThat(spec.get("openapi").asText()).startsWith("3.");
    JsonNode op = spec.at("/paths/~1search/post");
    assertThat(op.get("operationId").asText()).isEqualTo("search_documents");
    assertThat(op.get("description").asText()).contains("indexed PDF documents");
    assertThat(op.at("/requestBody/content/application~1json/schema/required").toString()).contains("text");
    assertThat(spec.at("/servers/0/url").asText()).isEqualTo(base(fileServer));
    // the page is served by the jar itself: no external fonts, scripts or styles
    String page = get(fileServer, "/").body();
    assertThat(page).contains("<form id=\"search\"").doesNotContain("https://").doesNotContain("http://");
  }
}

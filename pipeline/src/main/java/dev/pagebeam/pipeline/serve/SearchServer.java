package dev.pagebeam.pipeline.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.store.Fusion;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.pipeline.search.Searcher;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of one collection: OpenAI-compatible embeddings with the collection's own model,
 * search, an OpenAPI description of search for LLM tools, a search page, and the page images ingest
 * wrote. Every bad request gets a 4xx with a JSON error that says what is wrong.
 */
public final class SearchServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SearchServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bodies larger than this are refused (413) before they are read. */
  static final long MAX_BODY_BYTES = 4L << 20;
  /** Inputs of one embeddings request, as OpenAI allows. */
  static final int MAX_INPUTS = 2048;
  /** Characters of one search text. */
  static final int MAX_QUERY_CHARS = 8192;
  static final int MAX_K = 100;
  /** Records searched before filters are applied, when a search has filters. */
  static final int FILTER_DEPTH = 1000;
  /** The suffix of the model name that embeds queries (with the model's query prefix). */
  static final String QUERY_SUFFIX = ":query";
  /** Paths that answer without the API key: they show nothing of the collection. */
  private static final List<String> OPEN_PATHS = List.of("/health", "/", "/openapi.json");
  private static final Pattern IMAGE_PATH = Pattern.compile("(?:^|.*/)images/([0-9a-f]{2})/([0-9a-f]{32}\\.(?:png|jpg))$");

  private final Searcher searcher;
  private final EmbeddingBatcher batcher;
  private final ServeMetrics metrics = new ServeMetrics();
  private final Path output;
  private final byte[] apiKey;
  private final SearchMode defaultMode;
  private final Fusion fusion;
  private final int defaultK;
  private final Javalin app;

  /** Settings of a server; the searcher is owned by the server from then on. */
  public static final class Config {
    String host = "127.0.0.1";
    int port;
    String apiKey = "";
    String output = "pagebeam-out";
    String mode = "auto";
    Fusion fusion = Fusion.of("convex", 0.5, 0);
    int k = 5;
    int batchSize = 64;

    public Config host(String v) {
      host = v;
      return this;
    }

    public Config port(int v) {
      port = v;
      return this;
    }

    /** The key requests must send as a bearer token; empty: none. Never logged. */
    public Config apiKey(String v) {
      apiKey = v == null ? "" : v;
      return this;
    }

    /** Ingest's --output: the page images are served from its images folder. */
    public Config output(String v) {
      output = v;
      return this;
    }

    public Config mode(String v) {
      mode = v;
      return this;
    }

    public Config fusion(Fusion v) {
      fusion = v;
      return this;
    }

    public Config k(int v) {
      k = v;
      return this;
    }

    public Config batchSize(int v) {
      batchSize = v;
      return this;
    }
  }

  private SearchServer(Searcher searcher, Config c) {
    this.searcher = searcher;
    this.output = Path.of(c.output);
    this.apiKey = c.apiKey.getBytes(StandardCharsets.UTF_8);
    this.defaultMode = SearchMode.of(c.mode, searcher.store());
    this.fusion = c.fusion;
    if (c.k < 1 || c.k > MAX_K) {
      throw new IllegalArgumentException("--k=" + c.k + " must be between 1 and " + MAX_K);
    }
    this.defaultK = c.k;
    this.batcher = new EmbeddingBatcher(searcher.model(), c.batchSize);
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.http.maxRequestSize = MAX_BODY_BYTES;
      config.jetty.defaultHost = c.host;
    });
    routes();
  }

  /** Starts a server over {@code searcher}'s collection; closing it closes the searcher. */
  public static SearchServer start(Searcher searcher, Config c) throws IOException {
    SearchServer server = new SearchServer(searcher, c);
    try {
      // the first search reads what it needs (the file sink's shards) before anyone waits for it
      searcher.store().count();
      server.app.start(c.host, c.port);
    } catch (RuntimeException e) {
      server.close();
      throw new IOException("cannot listen on " + c.host + ":" + c.port + ": " + e.getMessage(), e);
    }
    LOG.info("serving {} with model {} on http://{}:{}", searcher.describeTarget(), searcher.modelId(), c.host,
        server.port());
    return server;
  }

  public int port() {
    return app.port();
  }

  public String modelId() {
    return searcher.modelId();
  }

  public String describeTarget() {
    return searcher.describeTarget();
  }

  boolean needsKey() {
    return apiKey.length > 0;
  }

  private void routes() {
    app.before(this::authorize);
    app.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
    app.get("/openapi.json", timed("/openapi.json", this::openApi));
    app.get("/health", timed("/health", ctx -> {
      ObjectNode h = JSON.createObjectNode().put("status", "ok").put("model", searcher.modelId())
          .put("collection", searcher.describeTarget());
      json(ctx, 200, h);
    }));
    app.get("/metrics", timed("/metrics", this::metrics));
    app.get("/v1/models", timed("/v1/models", this::models));
    app.post("/v1/embeddings", timed("/v1/embeddings", this::embeddings));
    app.get("/search", timed("/search", ctx -> search(ctx, fromQueryParameters(ctx))));
    app.post("/search", timed("/search", ctx -> search(ctx, body(ctx))));
    app.get("/images/{shard}/{file}", timed("/images", this::image));
    app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage(), e.code));
    // Javalin's own refusals: no such endpoint, a body too large
    app.exception(HttpResponseException.class, (e, ctx) -> {
      switch (e.getStatus()) {
        case 404:
          error(ctx, 404, e.getMessage() + "; this server answers /search, /v1/embeddings, /v1/models,"
              + " /openapi.json, /health, /metrics and the search page at /", "not_found");
          break;
        case 413:
          error(ctx, 413, "the body is larger than " + (MAX_BODY_BYTES >> 20) + " MB", "body_too_large");
          break;
        default:
          error(ctx, e.getStatus(), e.getMessage(), "bad_request");
      }
    });
    app.exception(Exception.class, (e, ctx) -> {
      LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
      error(ctx, 500, "the server failed on this request: " + e.getMessage(), "server_error");
    });
  }

  /** A 4xx with a message: what the client did wrong. */
  static final class ApiError extends RuntimeException {
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private static ApiError bad(String message) {
    return new ApiError(400, "invalid_request", message);
  }

  private Handler timed(String endpoint, Handler h) {
    return ctx -> {
      long start = System.nanoTime();
      // an exception is answered later by its handler: count it as the status it will get
      int status = 500;
      try {
        h.handle(ctx);
        status = ctx.statusCode();
      } catch (ApiError e) {
        status = e.status;
        throw e;
      } catch (HttpResponseException e) {
        status = e.getStatus();
        throw e;
      } finally {
        metrics.record(endpoint, (System.nanoTime() - start) / 1e6, status);
      }
    };
  }

  private void authorize(Context ctx) {
    if (apiKey.length == 0 || OPEN_PATHS.contains(ctx.path())) {
      return;
    }
    String header = ctx.header("Authorization");
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), apiKey)) {
      metrics.record("unauthorized", 0, 401);
      throw new ApiError(401, "unauthorized", given.isEmpty()
          ? "this server needs an API key: send 'Authorization: Bearer KEY'" : "the API key is not this server's");
    }
  }

  private void embeddings(Context ctx) throws Exception {
    JsonNode body = body(ctx);
    String id = searcher.modelId();
    String model = body.path("model").asText("");
    if (model.isEmpty()) {
      throw bad("'model' is required: " + id + " embeds documents, " + id + QUERY_SUFFIX + " embeds queries");
    }
    boolean query = model.equals(id + QUERY_SUFFIX);
    if (!query && !model.equals(id)) {
      throw new ApiError(404, "model_not_found", "model '" + model + "' is not this collection's: it was written with "
          + id + "; ask for " + id + " (documents) or " + id + QUERY_SUFFIX + " (queries)");
    }
    JsonNode type = body.get("input_type");
    if (type != null && !type.isNull()) {
      boolean typeQuery = inputTypeIsQuery(type.asText());
      if (query && !typeQuery) {
        throw bad("model " + model + " embeds queries, but input_type is '" + type.asText() + "'");
      }
      query = typeQuery;
    }
    JsonNode dimensions = body.get("dimensions");
    if (dimensions != null && !dimensions.isNull() && dimensions.asInt() != searcher.model().dimension()) {
      throw bad("dimensions=" + dimensions.asText() + ": model " + id + " makes " + searcher.model().dimension()
          + "-dimension vectors and does not shorten them");
    }
    String format = body.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      throw bad("encoding_format '" + format + "' is not float or base64");
    }
    List<String> inputs = inputs(body.get("input"));
    EmbeddingBatcher.Embedded e = await(batcher.embed(inputs, query));
    ObjectNode out = JSON.createObjectNode().put("object", "list");
    ArrayNode data = out.putArray("data");
    for (int i = 0; i < e.vectors.length; i++) {
      ObjectNode d = data.addObject().put("object", "embedding").put("index", i);
      if (format.equals("base64")) {
        ByteBuffer b = ByteBuffer.allocate(4 * e.vectors[i].length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : e.vectors[i]) {
          b.putFloat(f);
        }
        d.put("embedding", Base64.getEncoder().encodeToString(b.array()));
      } else {
        ArrayNode v = d.putArray("embedding");
        for (float f : e.vectors[i]) {
          v.add(f);
        }
      }
    }
    out.put("model", model);
    out.putObject("usage").put("prompt_tokens", e.tokens).put("total_tokens", e.tokens);
    json(ctx, 200, out);
  }

  /** query and search_query embed with the query prefix; document, passage and search_document without. */
  static boolean inputTypeIsQuery(String type) {
    switch (type.toLowerCase(Locale.ROOT)) {
      case "query":
      case "search_query":
        return true;
      case "document":
      case "passage":
      case "search_document":
        return false;
      default:
        throw bad("input_type '" + type + "' is not query or document");
    }
  }

  static List<String> inputs(JsonNode input) {
    if (input == null || input.isNull()) {
      throw bad("'input' is required: a string or an array of strings");
    }
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) {
      texts.add(input.asText());
    } else if (input.isArray()) {
      for (JsonNode n : input) {
        if (!n.isTextual()) {
          throw bad("'input' must hold strings; token arrays are not accepted: send the text");
        }
        texts.add(n.asText());
      }
    } else {
      throw bad("'input' must be a string or an array of strings, not " + input.getNodeType().toString().toLowerCase(
          Locale.ROOT));
    }
    if (texts.isEmpty()) {
      throw bad("'input' is an empty array");
    }
    if (texts.size() > MAX_INPUTS) {
      throw bad("'input' has " + texts.size() + " texts; at most " + MAX_INPUTS + " per request");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isBlank()) {
        throw bad("input[" + i + "] is empty");
      }
    }
    return texts;
  }

  private void models(Context ctx) {
    ObjectNode out = JSON.createObjectNode().put("object", "list");
    ArrayNode data = out.putArray("data");
    for (String name : List.of(searcher.modelId(), searcher.modelId() + QUERY_SUFFIX)) {
      data.addObject().put("id", name).put("object", "model").put("owned_by", "pagebeam");
    }
    json(ctx, 200, out);
  }

  /** A search request, whether it came as query parameters or as a JSON body. */
  static final class SearchRequest {
    String text;
    int k;
    String mode;
    String source;
    String type;
    Integer pageFrom;
    Integer pageTo;
  }

  private SearchRequest fromQueryParameters(Context ctx) {
    ObjectNode n = JSON.createObjectNode();
    for (String name : List.of("text", "q", "k", "mode", "source", "type", "page_from", "page_to")) {
      String v = ctx.queryParam(name);
      if (v != null) {
        n.put(name, v);
      }
    }
    return request(n);
  }

  private void search(Context ctx, JsonNode body) throws Exception {
    search(ctx, request(body));
  }

  private SearchRequest request(JsonNode n) {
    if (!n.isObject()) {
      throw bad("the body must be a JSON object such as {\"text\": \"...\", \"k\": 5}");
    }
    SearchRequest r = new SearchRequest();
    r.text = n.hasNonNull("text") ? n.get("text").asText() : n.path("q").asText("");
    if (r.text.isBlank()) {
      throw bad("'text' is empty: give the question to search for");
    }
    if (r.text.length() > MAX_QUERY_CHARS) {
      throw bad("'text' has " + r.text.length() + " characters; at most " + MAX_QUERY_CHARS);
    }
    r.k = integer(n, "k", defaultK);
    if (r.k < 1 || r.k > MAX_K) {
      throw bad("k=" + r.k + " is out of range: 1 to " + MAX_K);
    }
    r.mode = n.path("mode").asText("");
    r.source = n.path("source").asText("");
    r.type = n.path("type").asText("");
    r.pageFrom = n.hasNonNull("page_from") ? integer(n, "page_from", 0) : null;
    r.pageTo = n.hasNonNull("page_to") ? integer(n, "page_to", 0) : null;
    return r;
  }

  private static int integer(JsonNode n, String field, int otherwise) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (v.canConvertToInt() && v.isIntegralNumber()) {
      return v.asInt();
    }
    try {
      return Integer.parseInt(v.asText().trim());
    } catch (NumberFormatException e) {
      throw bad(field + "='" + v.asText() + "' is not a whole number");
    }
  }

  private void search(Context ctx, SearchRequest r) throws Exception {
    SearchMode mode;
    try {
      mode = r.mode.isEmpty() ? defaultMode : SearchMode.of(r.mode, searcher.store());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage().replace("--mode=", "mode="));
    }
    boolean filtered = !r.source.isEmpty() || !r.type.isEmpty() || r.pageFrom != null || r.pageTo != null;
    int depth = filtered ? Math.max(FILTER_DEPTH, r.k) : r.k;
    long start = System.nanoTime();
    float[] vector = mode == SearchMode.LEXICAL ? null : await(batcher.embed(List.of(r.text), true)).vectors[0];
    List<SearchHit> hits = new ArrayList<>();
    for (SearchHit h : searcher.search(r.text, vector, depth, mode, fusion)) {
      if (matches(h, r)) {
        hits.add(h);
      }
      if (hits.size() == r.k) {
        break;
      }
    }
    ObjectNode out = JSON.createObjectNode().put("query", r.text).put("mode", mode.label())
        .put("model", searcher.modelId()).put("collection", searcher.describeTarget())
        .put("took_ms", Math.round((System.nanoTime() - start) / 1e5) / 10.0);
    if (filtered) {
      out.put("filtered_from", depth);
    }
    ArrayNode list = out.putArray("hits");
    int rank = 1;
    for (SearchHit h : hits) {
      ObjectNode o = list.addObject().put("rank", rank++).put("score", h.score()).put("id", h.id())
          .put("type", h.type()).put("source", h.source()).put("name", Path.of(h.source()).getFileName().toString())
          .put("page", h.page()).put("text", h.text()).put("ref", h.ref());
      o.put("thumbnail_url", imageUrl(h.thumbnail()));
      o.put("image_url", h.type().endsWith("_image") ? imageUrl(h.ref()) : null);
    }
    json(ctx, 200, out);
  }

  static boolean matches(SearchHit h, SearchRequest r) {
    if (!r.source.isEmpty() && !h.source().toLowerCase(Locale.ROOT).contains(r.source.toLowerCase(Locale.ROOT))) {
      return false;
    }
    if (!r.type.isEmpty() && !List.of(r.type.split(",")).contains(h.type())) {
      return false;
    }
    return (r.pageFrom == null || h.page() >= r.pageFrom) && (r.pageTo == null || h.page() <= r.pageTo);
  }

  /** The URL this server serves an image file of ingest's under, or null. */
  static String imageUrl(String file) {
    if (file == null) {
      return null;
    }
    Matcher m = IMAGE_PATH.matcher(file);
    return m.matches() ? "/images/" + m.group(1) + "/" + m.group(2) : null;
  }

  private void image(Context ctx) throws IOException {
    String shard = ctx.pathParam("shard");
    String file = ctx.pathParam("file");
    // only names ingest writes: no path reaches outside the images folder
    if (!IMAGE_PATH.matcher("images/" + shard + "/" + file).matches() || !file.startsWith(shard)) {
      throw new ApiError(404, "not_found", "no image " + shard + "/" + file);
    }
    Path path = output.resolve("images").resolve(shard).resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new ApiError(404, "not_found", "image " + shard + "/" + file + " is not under " + output.resolve("images")
          + ": serve with the --output ingest wrote to");
    }
    ctx.header("Cache-Control", "max-age=3600");
    ctx.contentType(file.endsWith(".png") ? "image/png" : "image/jpeg").result(Files.readAllBytes(path));
  }

  private void openApi(Context ctx) throws IOException {
    ObjectNode spec;
    try (InputStream in = SearchServer.class.getResourceAsStream("openapi.json")) {
      spec = (ObjectNode) JSON.readTree(in);
    }
    spec.putArray("servers").addObject().put("url", ctx.scheme() + "://" + ctx.host());
    ObjectNode info = (ObjectNode) spec.get("info");
    info.put("description", info.path("description").asText() + " This server searches "
        + searcher.describeTarget() + " (model " + searcher.modelId() + ").");
    json(ctx, 200, spec);
  }

  private void metrics(Context ctx) throws IOException {
    ObjectNode out = JSON.createObjectNode().put("model", searcher.modelId())
        .put("dimension", searcher.model().dimension()).put("collection", searcher.describeTarget())
        .put("records", searcher.store().count());
    out.putObject("embedding").put("texts_alone", batcher.rowsAlone())
        .put("batches", batcher.batches()).put("texts", batcher.texts())
        .put("mean_batch", batcher.batches() == 0 ? 0 : Math.round(10.0 * batcher.texts() / batcher.batches()) / 10.0);
    out.setAll((ObjectNode) JSON.valueToTree(metrics.snapshot()));
    json(ctx, 200, out);
  }

  private static JsonNode body(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      throw bad("the body is empty: send JSON");
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw bad("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw bad("the body cannot be read: " + e.getMessage());
    }
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  private static void resource(Context ctx, String name, String type) throws IOException {
    try (InputStream in = SearchServer.class.getResourceAsStream(name)) {
      ctx.contentType(type).result(in.readAllBytes());
    }
  }

  private static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** OpenAI's error shape, which its client libraries show as is. */
  private static void error(Context ctx, int status, String message, String code) {
    ObjectNode e = JSON.createObjectNode();
    e.putObject("error").put("message", message).put("type", status >= 500 ? "server_error" : "invalid_request_error")
        .put("code", code);
    json(ctx, status, e);
  }

  @Override
  public void close() {
    app.stop();
    batcher.close();
    searcher.close();
  }
}

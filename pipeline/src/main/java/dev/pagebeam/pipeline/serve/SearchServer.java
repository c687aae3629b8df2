package dev.pagebeam.pipeline.serve;

import static dev.pagebeam.pipeline.serve.HttpJson.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.store.Fusion;
import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.pipeline.search.Searcher;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of one collection, on Javalin: OpenAI-compatible embeddings with the collection's
 * own model ({@link EmbeddingsApi}), search ({@link SearchApi}), an OpenAPI description of search for
 * LLM tools, a search page, the page images ingest wrote ({@link ImageFiles}), health and metrics.
 * Every bad request gets a 4xx with a JSON error that says what is wrong.
 */
public final class SearchServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SearchServer.class);

  /** Paths that answer without the API key: they show no document (only the model's name and the collection's). */
  private static final List<String> OPEN_PATHS = List.of("/health", "/", "/openapi.json");

  private final Searcher searcher;
  private final EmbeddingBatcher batcher;
  private final EmbeddingsApi embeddings;
  private final SearchApi search;
  private final ImageFiles images;
  private final ServeMetrics metrics = new ServeMetrics();
  private final byte[] apiKey;
  /** Bound to a loopback address: without a key, only requests addressed to a local name are answered. */
  private final boolean loopbackOnly;
  private final String boundHost;
  private final Javalin app;

  /** Settings of a server. */
  public static final class Config {
    String host = "127.0.0.1";
    int port;
    String apiKey = "";
    String output = "pagebeam-out";
    String mode = "auto";
    Fusion fusion = Fusion.DEFAULT;
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

    /** The defaults of /search: mode, fusion and k. */
    public Config search(String defaultMode, Fusion defaultFusion, int defaultK) {
      mode = defaultMode;
      fusion = defaultFusion;
      k = defaultK;
      return this;
    }

    public Config batchSize(int v) {
      batchSize = v;
      return this;
    }
  }

  private SearchServer(Searcher searcher, Config c) {
    this.searcher = searcher;
    this.apiKey = c.apiKey.getBytes(StandardCharsets.UTF_8);
    this.boundHost = c.host;
    this.loopbackOnly = isLoopback(c.host);
    SearchMode mode = SearchMode.of(c.mode, searcher.store());
    this.batcher = new EmbeddingBatcher(searcher.model(), c.batchSize);
    this.embeddings = new EmbeddingsApi(searcher.modelId(), searcher.model().dimension(), batcher);
    this.search = new SearchApi(searcher, batcher, mode, c.fusion, c.k);
    this.images = new ImageFiles(Path.of(c.output));
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.http.maxRequestSize = HttpJson.MAX_BODY_BYTES;
      config.jetty.defaultHost = c.host;
    });
    routes();
  }

  /** Starts a server over {@code searcher}'s collection, which it owns from then on, failing or not. */
  public static SearchServer start(Searcher searcher, Config c) throws IOException {
    SearchServer server;
    try {
      server = new SearchServer(searcher, c);
    } catch (RuntimeException e) {
      searcher.close();
      throw e;
    }
    try {
      // the first search reads what it needs (the file sink's shards and BM25 index, a database's
      // loaded collection) before anyone waits for it
      server.search.warmUp();
      server.app.start(c.host, c.port);
    } catch (IOException e) {
      server.close();
      throw e;
    } catch (Exception e) {
      server.close();
      throw new IOException("cannot serve on " + c.host + ":" + c.port + ": " + e.getMessage(), e);
    }
    LOG.info("serving {} with model {} on http://{}:{}", searcher.describeTarget(), searcher.modelId(), c.host,
        server.port());
    return server;
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("--host=" + host + " is not an address of this machine", e);
    }
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
    app.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(resource("index.html")));
    app.get("/openapi.json", timed("/openapi.json", this::openApi));
    app.get("/health", timed("/health", ctx -> {
      boolean up = batcher.alive();
      HttpJson.send(ctx, up ? 200 : 503, JSON.createObjectNode().put("status", up ? "ok" : "the model thread has"
          + " stopped").put("model", searcher.modelId()).put("collection", searcher.describeTarget()));
    }));
    app.get("/metrics", timed("/metrics", this::metrics));
    app.get("/v1/models", timed("/v1/models", embeddings::models));
    app.post("/v1/embeddings", timed("/v1/embeddings", embeddings::embeddings));
    app.get("/search", timed("/search", search::get));
    app.post("/search", timed("/search", search::post));
    app.get("/images/{shard}/{file}", timed("/images", images::handle));
    app.exception(ApiError.class, (e, ctx) -> HttpJson.error(ctx, e.status, e.getMessage(), e.code));
    // Javalin's own refusals: no such endpoint, a body too large
    app.exception(HttpResponseException.class, (e, ctx) -> {
      switch (e.getStatus()) {
        case 404:
          HttpJson.error(ctx, 404, e.getMessage() + "; this server answers /search, /v1/embeddings, /v1/models,"
              + " /openapi.json, /health, /metrics and the search page at /", "not_found");
          break;
        case 413:
          HttpJson.error(ctx, 413, HttpJson.tooLarge(), "body_too_large");
          break;
        default:
          HttpJson.error(ctx, e.getStatus(), e.getMessage(), "bad_request");
      }
    });
    app.exception(Exception.class, (e, ctx) -> {
      LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
      HttpJson.error(ctx, 500, "the server failed on this request: " + e.getMessage(), "server_error");
    });
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
    if (apiKey.length == 0) {
      if (loopbackOnly && !LOCAL_NAMES.contains(hostName(ctx.host()))) {
        // a web page whose domain was made to resolve to 127.0.0.1 (DNS rebinding) sends its own name
        throw new ApiError(403, "forbidden_host", "this server on " + boundHost + " answers requests addressed to"
            + " 127.0.0.1 or localhost only, not to '" + hostName(ctx.host()) + "'; to serve other names, set an API"
            + " key");
      }
      return;
    }
    if (OPEN_PATHS.contains(ctx.path())) {
      return;
    }
    String header = ctx.header("Authorization");
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    // the same time whatever was sent
    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), apiKey)) {
      metrics.record("unauthorized", 0, 401);
      throw new ApiError(401, "unauthorized", given.isEmpty()
          ? "this server needs an API key: send 'Authorization: Bearer KEY'" : "the API key is not this server's");
    }
  }

  private static final java.util.Set<String> LOCAL_NAMES = java.util.Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  /** The host name of a Host header ({@code name:port}, {@code [v6]:port}, or just the name). */
  static String hostName(String hostHeader) {
    if (hostHeader == null) {
      return "";
    }
    String h = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
    int colon = h.lastIndexOf(':');
    return colon > h.lastIndexOf(']') ? h.substring(0, colon) : h;
  }

  private void openApi(Context ctx) throws IOException {
    ObjectNode spec = (ObjectNode) JSON.readTree(resource("openapi.json"));
    spec.putArray("servers").addObject().put("url", ctx.scheme() + "://" + ctx.host());
    ObjectNode info = (ObjectNode) spec.get("info");
    info.put("description", info.path("description").asText() + " This server searches "
        + searcher.describeTarget() + " (model " + searcher.modelId() + ").");
    HttpJson.send(ctx, 200, spec);
  }

  private void metrics(Context ctx) throws IOException {
    ObjectNode out = JSON.createObjectNode().put("model", searcher.modelId())
        .put("dimension", searcher.model().dimension()).put("collection", searcher.describeTarget())
        .put("records", searcher.store().count());
    out.putObject("embedding").put("texts_alone", batcher.rowsAlone())
        .put("batches", batcher.batches()).put("texts", batcher.texts())
        .put("mean_batch", batcher.batches() == 0 ? 0 : Math.round(10.0 * batcher.texts() / batcher.batches()) / 10.0);
    out.setAll((ObjectNode) JSON.valueToTree(metrics.snapshot()));
    HttpJson.send(ctx, 200, out);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = SearchServer.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() {
    app.stop();
    if (batcher.stop()) {
      searcher.close();
    } else {
      // closing the ONNX session under a running inference could crash the JVM: it ends with the process
      LOG.warn("the model thread is still busy after a minute; the model stays loaded until the process ends");
      searcher.store().close();
    }
  }
}

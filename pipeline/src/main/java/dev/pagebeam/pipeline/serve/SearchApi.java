package dev.pagebeam.pipeline.serve;

import static dev.pagebeam.pipeline.serve.HttpJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.store.Fusion;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.pipeline.search.Searcher;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /search}: a question as a JSON body (POST) or as query parameters (GET), optional filters
 * by source, type and page range, and the hits with their text and the URLs of their pictures.
 */
final class SearchApi {
  /** Characters of one search text. */
  static final int MAX_QUERY_CHARS = 8192;
  static final int MAX_K = 100;
  /** Records searched before filters are applied, when a search has filters. */
  static final int FILTER_DEPTH = 1000;
  private static final List<String> FIELDS = List.of("text", "q", "k", "mode", "source", "type", "page_from",
      "page_to");

  private final Searcher searcher;
  private final EmbeddingBatcher batcher;
  private final SearchMode defaultMode;
  private final Fusion fusion;
  private final int defaultK;

  SearchApi(Searcher searcher, EmbeddingBatcher batcher, SearchMode defaultMode, Fusion fusion, int defaultK) {
    if (defaultK < 1 || defaultK > MAX_K) {
      throw new IllegalArgumentException("--k=" + defaultK + " must be between 1 and " + MAX_K);
    }
    this.searcher = searcher;
    this.batcher = batcher;
    this.defaultMode = defaultMode;
    this.fusion = fusion;
    this.defaultK = defaultK;
  }

  /** One search request, validated. */
  static final class Request {
    final String text;
    final int k;
    final String mode;
    final String source;
    final String type;
    final Integer pageFrom;
    final Integer pageTo;

    Request(JsonNode n, int defaultK) {
      if (!n.isObject()) {
        throw ApiError.bad("the body must be a JSON object such as {\"text\": \"...\", \"k\": 5}");
      }
      text = n.hasNonNull("text") ? n.get("text").asText() : n.path("q").asText("");
      if (text.isBlank()) {
        throw ApiError.bad("'text' is empty: give the question to search for");
      }
      if (text.length() > MAX_QUERY_CHARS) {
        throw ApiError.bad("'text' has " + text.length() + " characters; at most " + MAX_QUERY_CHARS);
      }
      k = integer(n, "k", defaultK);
      if (k < 1 || k > MAX_K) {
        throw ApiError.bad("k=" + k + " is out of range: 1 to " + MAX_K);
      }
      mode = n.path("mode").asText("");
      source = n.path("source").asText("");
      type = n.path("type").asText("");
      pageFrom = n.hasNonNull("page_from") ? integer(n, "page_from", 0) : null;
      pageTo = n.hasNonNull("page_to") ? integer(n, "page_to", 0) : null;
    }

    boolean filtered() {
      return !source.isEmpty() || !type.isEmpty() || pageFrom != null || pageTo != null;
    }

    boolean matches(SearchHit h) {
      if (!source.isEmpty() && !h.source().toLowerCase(Locale.ROOT).contains(source.toLowerCase(Locale.ROOT))) {
        return false;
      }
      if (!type.isEmpty() && !List.of(type.split(",")).contains(h.type())) {
        return false;
      }
      return (pageFrom == null || h.page() >= pageFrom) && (pageTo == null || h.page() <= pageTo);
    }

    private static int integer(JsonNode n, String field, int otherwise) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        return otherwise;
      }
      if (v.isIntegralNumber() && v.canConvertToInt()) {
        return v.asInt();
      }
      try {
        return Integer.parseInt(v.asText().trim());
      } catch (NumberFormatException e) {
        throw ApiError.bad(field + "='" + v.asText() + "' is not a whole number");
      }
    }
  }

  /** One search in the default mode: what the first search reads (shards, a BM25 index, a loaded collection). */
  void warmUp() throws Exception {
    searcher.search("warm up", 1, defaultMode, fusion);
  }

  void get(Context ctx) throws Exception {
    ObjectNode n = JSON.createObjectNode();
    for (String name : FIELDS) {
      String v = ctx.queryParam(name);
      if (v != null) {
        n.put(name, v);
      }
    }
    search(ctx, new Request(n, defaultK));
  }

  void post(Context ctx) throws Exception {
    search(ctx, new Request(HttpJson.body(ctx), defaultK));
  }

  private void search(Context ctx, Request r) throws Exception {
    SearchMode mode;
    try {
      mode = r.mode.isEmpty() ? defaultMode : SearchMode.of(r.mode, searcher.store());
    } catch (IllegalArgumentException e) {
      throw ApiError.bad(e.getMessage().replace("--mode=", "mode="));
    }
    int depth = r.filtered() ? Math.max(FILTER_DEPTH, r.k) : r.k;
    long start = System.nanoTime();
    float[] vector = mode == SearchMode.LEXICAL ? null
        : EmbeddingBatcher.await(batcher.embed(List.of(r.text), true)).vectors[0];
    List<SearchHit> hits = new ArrayList<>();
    for (SearchHit h : searcher.search(r.text, vector, depth, mode, fusion)) {
      if (r.matches(h)) {
        hits.add(h);
      }
      if (hits.size() == r.k) {
        break;
      }
    }
    ObjectNode out = JSON.createObjectNode().put("query", r.text).put("mode", mode.label())
        .put("model", searcher.modelId()).put("collection", searcher.describeTarget())
        .put("took_ms", Math.round((System.nanoTime() - start) / 1e5) / 10.0);
    if (r.filtered()) {
      out.put("filtered_from", depth);
    }
    ArrayNode list = out.putArray("hits");
    int rank = 1;
    for (SearchHit h : hits) {
      list.addObject().put("rank", rank++).put("score", h.score()).put("id", h.id()).put("type", h.type())
          .put("source", h.source()).put("name", Path.of(h.source()).getFileName().toString()).put("page", h.page())
          .put("text", h.text()).put("ref", h.ref()).put("thumbnail_url", ImageFiles.url(h.thumbnail()))
          .put("image_url", h.type().endsWith("_image") ? ImageFiles.url(h.ref()) : null);
    }
    HttpJson.send(ctx, 200, out);
  }
}

package dev.pagebeam.pipeline.serve;

import static dev.pagebeam.pipeline.serve.HttpJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/embeddings} and {@code GET /v1/models}, as OpenAI's API has them, with the
 * collection's own model only. The model name says what a text is: {@code MODEL} a document (the
 * model's document prefix, as ingest embeds chunks), {@code MODEL:query} a question (its query
 * prefix); so does {@code input_type}.
 */
final class EmbeddingsApi {
  /** The suffix of the model name that embeds queries. */
  static final String QUERY_SUFFIX = ":query";
  /** Inputs of one request, as OpenAI allows. */
  static final int MAX_INPUTS = 2048;

  private final String modelId;
  private final int dimension;
  private final EmbeddingBatcher batcher;

  EmbeddingsApi(String modelId, int dimension, EmbeddingBatcher batcher) {
    this.modelId = modelId;
    this.dimension = dimension;
    this.batcher = batcher;
  }

  void embeddings(Context ctx) throws Exception {
    JsonNode body = HttpJson.body(ctx);
    String model = body.path("model").asText("");
    boolean query = isQuery(model, body.get("input_type"));
    JsonNode dimensions = body.get("dimensions");
    if (dimensions != null && !dimensions.isNull() && dimensions.asInt() != dimension) {
      throw ApiError.bad("dimensions=" + dimensions.asText() + ": model " + modelId + " makes " + dimension
          + "-dimension vectors and does not shorten them");
    }
    String format = body.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      throw ApiError.bad("encoding_format '" + format + "' is not float or base64");
    }
    EmbeddingBatcher.Embedded e = EmbeddingBatcher.await(batcher.embed(inputs(body.get("input")), query));
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
    HttpJson.send(ctx, 200, out);
  }

  void models(Context ctx) {
    ObjectNode out = JSON.createObjectNode().put("object", "list");
    ArrayNode data = out.putArray("data");
    for (String name : List.of(modelId, modelId + QUERY_SUFFIX)) {
      data.addObject().put("id", name).put("object", "model").put("owned_by", "pagebeam");
    }
    HttpJson.send(ctx, 200, out);
  }

  /** Whether the request embeds questions; refuses another model's name (404) and a contradiction (400). */
  boolean isQuery(String model, JsonNode inputType) {
    if (model.isEmpty()) {
      throw ApiError.bad("'model' is required: " + modelId + " embeds documents, " + modelId + QUERY_SUFFIX
          + " embeds queries");
    }
    boolean query = model.equals(modelId + QUERY_SUFFIX);
    if (!query && !model.equals(modelId)) {
      throw new ApiError(404, "model_not_found", "model '" + model + "' is not this collection's: it was written"
          + " with " + modelId + "; ask for " + modelId + " (documents) or " + modelId + QUERY_SUFFIX + " (queries)");
    }
    if (inputType == null || inputType.isNull()) {
      return query;
    }
    boolean typeQuery = inputTypeIsQuery(inputType.asText());
    if (query && !typeQuery) {
      throw ApiError.bad("model " + model + " embeds queries, but input_type is '" + inputType.asText() + "'");
    }
    return typeQuery;
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
        throw ApiError.bad("input_type '" + type + "' is not query or document");
    }
  }

  /** The texts of {@code input}: a string or an array of strings, none empty, at most {@link #MAX_INPUTS}. */
  static List<String> inputs(JsonNode input) {
    if (input == null || input.isNull()) {
      throw ApiError.bad("'input' is required: a string or an array of strings");
    }
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) {
      texts.add(input.asText());
    } else if (input.isArray()) {
      for (JsonNode n : input) {
        if (!n.isTextual()) {
          throw ApiError.bad("'input' must hold strings; token arrays are not accepted: send the text");
        }
        texts.add(n.asText());
      }
    } else {
      throw ApiError.bad("'input' must be a string or an array of strings, not "
          + input.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    if (texts.isEmpty()) {
      throw ApiError.bad("'input' is an empty array");
    }
    if (texts.size() > MAX_INPUTS) {
      throw ApiError.bad("'input' has " + texts.size() + " texts; at most " + MAX_INPUTS + " per request");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isBlank()) {
        throw ApiError.bad("input[" + i + "] is empty");
      }
    }
    return texts;
  }
}

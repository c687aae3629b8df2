package dev.pagebeam.pipeline.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;

/** JSON in and out of the server's requests, errors in OpenAI's shape (its client libraries show them as they are). */
final class HttpJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private HttpJson() {}

  /** Bodies larger than this are refused (413): by their length, or while they are read (chunked bodies have none). */
  static final long MAX_BODY_BYTES = 4L << 20;

  static String tooLarge() {
    return "the body is larger than " + (MAX_BODY_BYTES >> 20) + " MB";
  }

  /** The request's body as JSON; a 400 that says why when it is empty or not JSON, a 413 when it is too large. */
  static JsonNode body(Context ctx) {
    if (ctx.contentLength() > MAX_BODY_BYTES) {
      throw new ApiError(413, "body_too_large", tooLarge());
    }
    byte[] bytes;
    try (java.io.InputStream in = ctx.bodyInputStream()) {
      bytes = in.readNBytes((int) MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      throw ApiError.bad("the body cannot be read: " + e.getMessage());
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ApiError(413, "body_too_large", tooLarge());
    }
    if (bytes.length == 0) {
      throw ApiError.bad("the body is empty: send JSON");
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiError.bad("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.bad("the body cannot be read: " + e.getMessage());
    }
  }

  static void send(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"error": {"message", "type", "code"}}}. */
  static void error(Context ctx, int status, String message, String code) {
    ObjectNode e = JSON.createObjectNode();
    e.putObject("error").put("message", message).put("type", status >= 500 ? "server_error" : "invalid_request_error")
        .put("code", code);
    send(ctx, status, e);
  }
}

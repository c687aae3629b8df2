package dev.pagebeam.pipeline.serve;

/** A request the server refuses: the status, a code, and a message that says what is wrong. */
final class ApiError extends RuntimeException {
  final int status;
  final String code;

  ApiError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** A 400: the request is malformed or out of range. */
  static ApiError bad(String message) {
    return new ApiError(400, "invalid_request", message);
  }
}

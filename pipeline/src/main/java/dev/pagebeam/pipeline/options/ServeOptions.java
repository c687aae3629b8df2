package dev.pagebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code pagebeam serve}, besides the sink, model and search options of query. */
public interface ServeOptions extends QueryOptions {

  @Description("The address to listen on. 127.0.0.1 keeps the server on this machine; anything else exposes the"
      + " collection to the network: set an API key first.")
  @Default.String("127.0.0.1")
  String getHost();

  void setHost(String value);

  @Description("The port to listen on; 0 picks a free one (printed at start).")
  @Default.Integer(8765)
  int getPort();

  void setPort(int value);

  @Description("A file holding the API key that every request but /health, /openapi.json and the search page itself"
      + " must send as 'Authorization: Bearer KEY'. The environment variable PAGEBEAM_API_KEY works too. Without"
      + " either, the server is open.")
  @Default.String("")
  String getApiKeyFile();

  void setApiKeyFile(String value);

  @Description("Most texts one model call embeds: concurrent /v1/embeddings and /search requests are batched"
      + " together up to this many (an int8 model, whose vectors move with their batch neighbours, embeds each"
      + " text alone: see docs/serve.md).")
  @Default.Integer(64)
  int getServeBatchSize();

  void setServeBatchSize(int value);
}

package dev.pagebeam.pipeline.serve;

import dev.pagebeam.pipeline.options.ServeOptions;
import dev.pagebeam.pipeline.search.Searcher;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code pagebeam serve}: serves one collection over HTTP until the process is stopped. */
public final class ServeCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
  /** The environment variable an API key may come from instead of --apiKeyFile. */
  public static final String API_KEY_ENV = "PAGEBEAM_API_KEY";

  private ServeCommand() {}

  public static void run(ServeOptions o, boolean modelGiven, PrintStream out) throws Exception {
    SearchServer server = start(o, modelGiven);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "pagebeam-serve-stop"));
    out.printf("pagebeam serve: http://%s:%d/ (model %s, %s; API key %s). Stop with Ctrl-C.%n", o.getHost(),
        server.port(), server.modelId(), server.describeTarget(), server.needsKey() ? "required" : "not required");
    out.flush();
    stopped.await();
  }

  /** Opens the collection and its model and starts serving them; the caller closes the server. */
  public static SearchServer start(ServeOptions o, boolean modelGiven) throws Exception {
    if (o.getPort() < 0 || o.getPort() > 65535) {
      throw new IllegalArgumentException("--port=" + o.getPort() + " is not a port (0 picks a free one)");
    }
    String key = apiKey(o.getApiKeyFile(), System.getenv(API_KEY_ENV));
    if (key.isEmpty() && !InetAddress.getByName(o.getHost()).isLoopbackAddress()) {
      LOG.warn("--host={} exposes the collection to the network WITHOUT an API key: set --apiKeyFile or {}",
          o.getHost(), API_KEY_ENV);
    }
    SearchServer.Config config = new SearchServer.Config().host(o.getHost()).port(o.getPort()).apiKey(key)
        .output(o.getOutput()).search(o.getMode(), Searcher.fusion(o), o.getK())
        .batchSize(o.getServeBatchSize());
    return SearchServer.start(Searcher.open(o, modelGiven), config);
  }

  /** The key from the file if one is named, else from the environment; empty when neither is set. */
  static String apiKey(String file, String env) throws IOException {
    if (!file.isEmpty()) {
      Path path = Path.of(file);
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException("--apiKeyFile=" + file + " cannot be read");
      }
      String key = Files.readString(path, StandardCharsets.UTF_8).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("--apiKeyFile=" + file + " is empty");
      }
      return key;
    }
    return env == null ? "" : env.trim();
  }
}

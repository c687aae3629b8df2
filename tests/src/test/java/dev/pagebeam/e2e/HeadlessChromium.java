package dev.pagebeam.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium, driven over the DevTools protocol (a WebSocket from the JDK's own
 * client): navigate, type, press keys, evaluate scripts, take screenshots. Chromium is kept off the
 * network: every host name but 127.0.0.1 fails to resolve and its background services are off.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://127\\.0\\.0\\.1:(\\d+)/\\S+)");

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** The chromium binary, or null when it is not installed. */
  static Path binary() {
    for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  static HeadlessChromium start(Path profile) throws Exception {
    Path chromium = binary();
    if (chromium == null) {
      throw new IllegalStateException("Chromium is not installed: apt-get install chromium (scripts/test.sh does)");
    }
    Process p = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--metrics-recording-only",
        "--no-pings", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--window-size=1280,900",
        "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      int port = devToolsPort(p);
      HttpClient http = HttpClient.newHttpClient();
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
      String page = null;
      for (JsonNode t : targets) {
        if (t.path("type").asText().equals("page")) {
          page = t.get("webSocketDebuggerUrl").asText();
        }
      }
      if (page == null) {
        throw new IllegalStateException("Chromium opened no page: " + targets);
      }
      HeadlessChromium[] self = new HeadlessChromium[1];
      WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
          message.append(data);
          if (last) {
            self[0].receive(message.toString());
            message.setLength(0);
          }
          webSocket.request(1);
          return null;
        }
      }).get(30, TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(p, ws);
      return self[0];
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static int devToolsPort(Process p) throws IOException {
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = err.readLine(); line != null; line = err.readLine()) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        // keep reading its stderr so that Chromium never blocks on a full pipe
        Thread drain = new Thread(() -> {
          try {
            err.transferTo(java.io.Writer.nullWriter());
          } catch (IOException ignored) {
            // Chromium has exited
          }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(2));
      }
    }
    throw new IOException("Chromium exited before it opened its DevTools port:\n" + seen);
  }

  private void receive(String text) {
    try {
      JsonNode m = JSON.readTree(text);
      if (m.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
        if (f != null) {
          f.complete(m);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("not JSON from Chromium: " + text, e);
    }
  }

  /** Calls a DevTools method and returns its result. */
  JsonNode call(String method, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
    m.set("params", JSON.valueToTree(params));
    socket.sendText(JSON.writeValueAsString(m), true).get(10, TimeUnit.SECONDS);
    JsonNode r = answer.get(60, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + " failed: " + r.get("error"));
    }
    return r.get("result");
  }

  /** The value of a script run in the page (promises are awaited). */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("the page's script failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Evaluates {@code expression} until it gives a value that is not null or false. */
  JsonNode waitFor(String expression, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode v = evaluate(expression);
      if (!v.isMissingNode() && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
        return v;
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("the page did not reach " + expression + " within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  void navigate(String url) throws Exception {
    call("Page.enable", Map.of());
    call("Page.navigate", Map.of("url", url));
    waitFor("document.readyState === 'complete' && location.href.startsWith('" + url + "')", Duration.ofSeconds(30));
  }

  /** Types {@code text} into the focused element, as a keyboard would. */
  void type(String text) throws Exception {
    call("Input.insertText", Map.of("text", text));
  }

  void pressEnter() throws Exception {
    for (String type : List.of("keyDown", "keyUp")) {
      call("Input.dispatchKeyEvent", Map.of("type", type, "key", "Enter", "code", "Enter",
          "windowsVirtualKeyCode", 13, "text", "\r"));
    }
  }

  /** A PNG of what the page shows. */
  byte[] screenshot() throws Exception {
    return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png"))
        .get("data").asText());
  }

  @Override
  public void close() {
    socket.abort();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

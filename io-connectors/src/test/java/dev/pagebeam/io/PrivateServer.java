package dev.pagebeam.io;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Chroma or Milvus server of a test's own (own port, own data directory), from the installs
 * scripts/test-servers.sh made in tools/: for tests that kill and restart a server.
 */
public final class PrivateServer implements AutoCloseable {
  private final String kind;
  private final Path dataDir;
  private final int port;
  private final Path home;
  private Process process;

  private PrivateServer(String kind, Path dataDir, int port, Path home) {
    this.kind = kind;
    this.dataDir = dataDir;
    this.port = port;
    this.home = home;
  }

  /** Starts a new server on a free port with an empty data directory. */
  public static PrivateServer start(String kind, Path dataDir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path home = Path.of(System.getProperty("pagebeam.home", "..")).toAbsolutePath().normalize();
    PrivateServer server = new PrivateServer(kind, dataDir, port, home);
    server.launch();
    return server;
  }

  private void launch() throws Exception {
    List<String> command;
    if (kind.equals("chroma")) {
      Path cli = home.resolve("tools/chroma/node_modules/chromadb/dist/cli.mjs");
      command = List.of("node", cli.toString(), "run", "--host", "127.0.0.1", "--port", Integer.toString(port),
          "--path", dataDir.toString());
      requireInstalled(cli);
    } else {
      Path bin = home.resolve("tools/milvus-lite/bin/milvus-lite");
      command = List.of(bin.toString(), "server", "--data-dir", dataDir.toString(), "--host", "127.0.0.1", "--port",
          Integer.toString(port));
      requireInstalled(bin);
    }
    Files.createDirectories(dataDir);
    File log = dataDir.resolveSibling(dataDir.getFileName() + "-" + kind + ".log").toFile();
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(kind + " exited at start; see " + log);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        Thread.sleep(300);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(kind + " did not open port " + port + " within 60 s; see " + log);
  }

  private static void requireInstalled(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " is missing: run scripts/test-servers.sh install");
    }
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /**
   * SIGKILL: no shutdown of any kind. milvus-lite is a Python launcher whose child process is the
   * server: the whole process tree goes, or the server would live on and nothing would be tested.
   */
  public void kill() throws InterruptedException {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
    process.waitFor();
    for (ProcessHandle child : tree) {
      child.onExit().join();
    }
  }

  /** Starts the server again on the same port and data directory. */
  public void restart() throws Exception {
    launch();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      List<ProcessHandle> tree = process.descendants().toList();
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }
}

package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.io.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pagebeam contacts no address but the sinks it was given: the quick start (file sink) and an ingest
 * into Chroma run under strace, and every connect() of the JVM and its threads is checked.
 */
class NoOtherAddressTest {
  private static final Pattern INET = Pattern.compile(
      "connect\\(\\d+, \\{sa_family=AF_INET6?, sin6?_port=htons\\((\\d+)\\), .*?(inet_addr\\(\"([^\"]+)\"\\)"
          + "|inet_pton\\(AF_INET6, \"([^\"]+)\")");

  @TempDir Path out;

  /** The addresses (host:port) the command connected to, over IP. */
  static List<String> connections(Path trace, String... args) throws Exception {
    Path strace = Path.of("/usr/bin/strace");
    assertThat(strace).as("strace is needed for this test (Debian package strace)").isExecutable();
    List<String> command = new ArrayList<>(List.of(strace.toString(), "-f", "-qq", "-e", "trace=connect", "-e",
        "signal=none", "-o", trace.toString()));
    command.addAll(Launcher.command(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(log).isZero();
    assertThat(log).contains("SUMMARY");
    List<String> addresses = new ArrayList<>();
    for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
      if (!line.contains("connect(")) {
        continue;
      }
      Matcher m = INET.matcher(line);
      if (m.find()) {
        addresses.add((m.group(3) != null ? m.group(3) : m.group(4)) + ":" + m.group(1));
      } else if (line.contains("AF_INET")) {
        addresses.add("unparsed: " + line);
      }
    }
    return addresses;
  }

  @Test
  void theQuickStartConnectsToNothing() throws Exception {
    List<String> addresses = connections(out.resolve("trace.txt"), "ingest", "--output=" + out);
    assertThat(addresses).as("IP connections of the quick start (file sink)").isEmpty();
  }

  @Test
  void anIngestIntoChromaConnectsOnlyToChroma() throws Exception {
    String chroma = TestServers.address("CHROMA");
    List<String> addresses = connections(out.resolve("trace.txt"), "ingest", "--output=" + out,
        "--sink=chroma://" + chroma + "/" + TestServers.uniqueCollection("net"));
    assertThat(addresses).as("the run talks to Chroma").isNotEmpty();
    assertThat(addresses).as("IP connections other than the configured Chroma server")
        .allSatisfy(a -> assertThat(a).isIn(chroma, "::ffff:" + chroma));
  }
}

package dev.pagebeam.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code pagebeam} as its own process, on the classpath these tests run with:
 * what bin/pagebeam execs, without its build check (the test classpath is the build; its classpath
 * files are only written after the tests, when Maven runs build-classpath).
 */
final class Launcher {
  private Launcher() {}

  static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dpagebeam.home=" + Corpus.home(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        "dev.pagebeam.pipeline.cli.PagebeamCli"));
    command.addAll(List.of(args));
    return command;
  }
}

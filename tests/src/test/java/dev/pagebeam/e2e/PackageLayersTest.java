package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of the code, checked on its sources: the graph of which package uses which (imports and
 * fully qualified names in main sources) has no cycle, and no package reaches up a layer. Prints the
 * graph, so a reviewer can read the shape without drawing it.
 */
class PackageLayersTest {
  private static final List<String> MODULES = List.of("transforms", "io-connectors", "pipeline", "tests");
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
  /** A use of one of our types: dev.pagebeam.a.b.Type (in an import or written out in the code). */
  private static final Pattern USE = Pattern.compile("\\b(dev\\.pagebeam(?:\\.[a-z][a-z0-9_]*)+)\\.[A-Z]");

  /** package -> the packages its main sources use (itself excluded). */
  static final Map<String, Set<String>> GRAPH = new TreeMap<>();

  @BeforeAll
  static void readSources() throws IOException {
    for (String module : MODULES) {
      Path src = Corpus.home().resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
          String text = stripComments(Files.readString(f));
          Matcher p = PACKAGE.matcher(text);
          assertThat(p.find()).as("%s has a package line", f).isTrue();
          String pkg = p.group(1);
          Set<String> uses = GRAPH.computeIfAbsent(pkg, k -> new TreeSet<>());
          Matcher u = USE.matcher(text.substring(p.end()));
          while (u.find()) {
            if (!u.group(1).equals(pkg)) {
              uses.add(u.group(1));
            }
          }
        }
      }
    }
    StringBuilder listing = new StringBuilder("package graph (package -> packages it uses):\n");
    GRAPH.forEach((pkg, uses) -> listing.append("  ").append(short_(pkg)).append(" -> ")
        .append(uses.stream().map(PackageLayersTest::short_).collect(Collectors.joining(", "))).append('\n'));
    System.out.print(listing);
  }

  @Test
  void readsTheWholeTree() {
    // the check is only as good as its reading: every layer must be there
    assertThat(GRAPH.keySet()).contains("dev.pagebeam.transforms.core", "dev.pagebeam.transforms.split",
        "dev.pagebeam.io.store", "dev.pagebeam.pipeline.cli", "dev.pagebeam.pipeline.ingest",
        "dev.pagebeam.pipeline.search");
    assertThat(GRAPH.get("dev.pagebeam.pipeline.cli")).contains("dev.pagebeam.pipeline.ingest");
  }

  @Test
  void noPackageUsesOneThatUsesItBack() {
    List<List<String>> cycles = stronglyConnected(GRAPH).stream().filter(c -> c.size() > 1)
        .collect(Collectors.toList());
    assertThat(cycles).as("packages that use each other (directly or through others); move the shared"
        + " type below both").isEmpty();
  }

  @Test
  void noPackageReachesUpALayer() {
    List<String> wrong = new ArrayList<>();
    GRAPH.forEach((pkg, uses) -> {
      for (String used : uses) {
        String why = forbidden(pkg, used);
        if (why != null) {
          wrong.add(short_(pkg) + " uses " + short_(used) + ": " + why);
        }
      }
    });
    assertThat(wrong).isEmpty();
  }

  /** Why {@code pkg} may not use {@code used}, or null when it may. */
  static String forbidden(String pkg, String used) {
    if (pkg.startsWith("dev.pagebeam.transforms") && !used.startsWith("dev.pagebeam.transforms")) {
      return "the transforms module is the bottom layer";
    }
    if (pkg.startsWith("dev.pagebeam.io") && !used.startsWith("dev.pagebeam.io")) {
      return "io-connectors stands alone (records cross into it through pipeline)";
    }
    if (pkg.equals("dev.pagebeam.transforms.core") && used.startsWith("dev.pagebeam")) {
      return "core is below every stage";
    }
    if (pkg.equals("dev.pagebeam.transforms.elements") && !used.equals("dev.pagebeam.transforms.core")) {
      return "element records use only core";
    }
    if (pkg.startsWith("dev.pagebeam.pipeline") && used.startsWith("dev.pagebeam.pipeline")) {
      int from = layer(pkg);
      int to = layer(used);
      if (to >= from) {
        return "within pipeline, a package uses only lower layers (" + String.join(" > ", PIPELINE_LAYERS) + ")";
      }
    }
    return null;
  }

  /** pipeline's layers, top first; packages on one line of the comment share a layer and do not use each other. */
  static final List<String> PIPELINE_LAYERS = List.of("cli", "ingest|serve", "incremental|search", "runner|sink",
      "output|options");

  static int layer(String pkg) {
    String name = pkg.substring("dev.pagebeam.pipeline.".length()).split("\\.")[0];
    for (int i = 0; i < PIPELINE_LAYERS.size(); i++) {
      if (Set.of(PIPELINE_LAYERS.get(i).split("\\|")).contains(name)) {
        return PIPELINE_LAYERS.size() - i;
      }
    }
    throw new AssertionError("package " + pkg + " is in no layer of PackageLayersTest.PIPELINE_LAYERS: add it");
  }

  /** Tarjan's strongly connected components. */
  static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] next = {0};
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, out, next);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] next) {
    index.put(v, next[0]);
    low.put(v, next[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, out, next);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
  }

  @Test
  void findsACycleWhenThereIsOne() {
    Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertThat(stronglyConnected(g).stream().filter(c -> c.size() > 1).findFirst().orElseThrow())
        .containsExactlyInAnyOrder("a", "b", "c");
  }

  private static String short_(String pkg) {
    return pkg.substring("dev.pagebeam.".length());
  }

  private static String stripComments(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
  }
}

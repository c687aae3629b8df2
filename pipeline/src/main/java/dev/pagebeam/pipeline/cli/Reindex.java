package dev.pagebeam.pipeline.cli;

import dev.pagebeam.pipeline.search.Evaluation;
import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.io.store.Fusion;
import dev.pagebeam.pipeline.search.Searcher;

import dev.pagebeam.pipeline.ingest.Summary;
import dev.pagebeam.pipeline.ingest.IngestJob;
import dev.pagebeam.pipeline.sink.Sinks;
import dev.pagebeam.pipeline.options.ReindexOptions;
import dev.pagebeam.io.SinkCounters;
import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.CollectionVersions;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.StoreException;
import dev.pagebeam.io.store.SinkCollection;
import dev.pagebeam.io.store.VectorStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code pagebeam reindex}: re-embeds the whole input into a new versioned collection beside the
 * live one ({@code NAME_vN} beside {@code NAME}), checks it, switches the name readers use to it,
 * and drops versions beyond {@code --keep}. The live collection serves queries all along, and is
 * left as it was when anything before the switch fails.
 */
final class Reindex {
  /** Records picked from the new version that must find themselves. */
  static final int SAMPLES = 5;
  /** ... among the first this many results. */
  static final int TOP = 3;

  private Reindex() {}

  /** Runs under the run lock of the live name; returns the exit code. */
  static int run(ReindexOptions o, PrintStream out, PrintStream err) {
    SinkTarget live = Sinks.target(o);
    String usage = usage(o, live);
    if (usage != null) {
      err.println("pagebeam reindex: " + usage);
      return PagebeamCli.USAGE;
    }
    List<Check> checks;
    try {
      checks = Check.read(o.getValidate());
    } catch (IOException | IllegalArgumentException e) {
      err.println("pagebeam reindex: --validate=" + o.getValidate() + ": " + e.getMessage());
      return PagebeamCli.USAGE;
    }
    String version;
    String previousName;
    String serving;
    try (VectorStore store = Sinks.database(live, o)) {
      CollectionVersions versions = store.versions();
      serving = versions.live();
      SortedMap<Integer, String> existing = versions.byNumber();
      int last = existing.isEmpty() ? 0 : existing.lastKey();
      // a name that is a collection of its own is kept as the version below the new one
      boolean own = live.collection().equals(serving);
      int number = last + (own ? 2 : 1);
      version = CollectionVersions.versionName(live.collection(), number);
      previousName = own ? CollectionVersions.versionName(live.collection(), number - 1) : null;
    } catch (IOException e) {
      err.println("pagebeam reindex: cannot read " + live + ": " + e.getMessage()
          + ". Start the server or fix --sink; nothing was read.");
      return PagebeamCli.USAGE;
    }
    SinkTarget next = SinkTarget.parse(live.toString().substring(0, live.toString().lastIndexOf('/') + 1) + version);
    out.println("reindex: building " + version + " beside " + live + (serving == null ? ", which serves nothing yet"
        : ", which serves " + serving + " until the switch"));
    o.setSink(next.toString());
    o.setFull(true);
    IngestJob job;
    try {
      job = IngestJob.prepare(o);
    } catch (Exception e) {
      err.println("pagebeam reindex: " + e.getMessage());
      return PagebeamCli.USAGE;
    }
    Summary summary;
    try {
      summary = job.run();
    } catch (Exception e) {
      return abandon(live, next, o, serving, "the run failed: " + PagebeamCli.rootMessage(e), err);
    }
    long failed = summary.get(SinkCounters.SINK_FAILURES);
    if (failed > 0) {
      return abandon(live, next, o, serving, failed + " vectors could not be written (dead letters under "
          + o.getOutput() + "/dead-letters)", err);
    }
    List<String> problems;
    // the version through the model it was written with: Searcher refuses another dimension or model
    try (Searcher searcher = Searcher.open(o, true)) {
      problems = validate(searcher, summary, checks, out);
    } catch (Exception e) {
      problems = List.of("it could not be checked: " + PagebeamCli.rootMessage(e));
    }
    if (!problems.isEmpty()) {
      return abandon(live, next, o, serving, "it failed validation:\n  " + String.join("\n  ", problems), err);
    }
    try (VectorStore store = Sinks.database(live, o)) {
      CollectionVersions versions = store.versions();
      CollectionVersions.Switched switched = versions.switchTo(version, previousName);
      out.println("reindex: " + live + " now serves " + version + ": " + switched.how()
          + (switched.unresolvedMillis() > 0 ? "; the name resolved to nothing for at most "
              + switched.unresolvedMillis() + " ms" : ""));
      List<String> dropped = dropBeyondKeep(versions, o.getKeep());
      if (!dropped.isEmpty()) {
        out.println("reindex: dropped " + String.join(", ", dropped) + " (--keep=" + o.getKeep() + ")");
      }
      summary.withSink(live.toString())
          .with("version", version)
          .with("previous", switched.previous())
          .with("switch", switched.kind())
          .with("unresolved_ms", switched.unresolvedMillis())
          .with("versions_kept", kept(versions))
          .with("versions_dropped", dropped.size());
      out.println(summary.line());
      return PagebeamCli.OK;
    } catch (Exception e) {
      err.println("pagebeam reindex: the switch of " + live + " to " + version + " failed: "
          + PagebeamCli.rootMessage(e) + ". " + live + " serves what it served before; " + version
          + " is left for a second try.");
      return PagebeamCli.FAILED;
    }
  }

  private static String usage(ReindexOptions o, SinkTarget live) {
    if (live.kind() == SinkTarget.Kind.FILE) {
      return "--sink=" + live + ": reindex switches the name of a Chroma or Milvus collection. For the file sink,"
          + " ingest into a new directory and point readers at it.";
    }
    if (o.getKeep() < 0) {
      return "--keep=" + o.getKeep() + " must be 0 or more";
    }
    if (o.getRecreate() || o.getPrune()) {
      return "--recreate and --prune do not apply: reindex builds a new collection from the whole input, and the"
          + " live one is switched, not changed";
    }
    if (!o.getEncode()) {
      return "--encode=false: reindex needs vectors";
    }
    return null;
  }

  /** Drops the new version; the live name was never touched. */
  private static int abandon(SinkTarget live, SinkTarget next, ReindexOptions o, String serving, String why,
      PrintStream err) {
    String dropped;
    try (VectorStore store = Sinks.database(live, o)) {
      store.versions().dropVersion(next.collection());
      dropped = "dropped " + next.collection();
    } catch (Exception e) {
      dropped = "could not drop " + next.collection() + " (" + e.getMessage() + "): drop it by hand";
    }
    err.println("pagebeam reindex: " + next.collection() + " was not switched to: " + why + "\npagebeam reindex: "
        + live + " is untouched" + (serving == null ? "" : " and serves " + serving) + "; " + dropped + ".");
    return PagebeamCli.FAILED;
  }

  /**
   * The new version must hold exactly what the run wrote, and answer searches: a sample of its
   * chunks must find themselves among the first {@link #TOP} results (or a chunk of the same text),
   * and every --validate check its document. Its dimension and model were checked by opening the
   * searcher.
   */
  static List<String> validate(Searcher searcher, Summary summary, List<Check> checks, PrintStream out)
      throws Exception {
    SinkCollection store = searcher.store();
    List<String> problems = new ArrayList<>();
    long written = summary.get(SinkCounters.VECTORS_WRITTEN);
    long count = store.count();
    if (written == 0) {
      problems.add("the run wrote no vectors");
    }
    if (count != written) {
      problems.add(store.describeTarget() + " holds " + count + " records, but the run wrote " + written);
    }
    Map<String, String> samples = store.sampleTexts(SAMPLES,
        summary.get(dev.pagebeam.transforms.split.SplitCounters.TEXT_CHUNKS));
    int found = 0;
    int passed = 0;
    for (Map.Entry<String, String> sample : samples.entrySet()) {
      String preview = VectorRecord.preview(sample.getValue(), 200);
      List<SearchHit> hits = searcher.search(sample.getValue(), TOP, SearchMode.DENSE, Fusion.DEFAULT);
      if (hits.stream().anyMatch(h -> h.id().equals(sample.getKey()) || h.preview().equals(preview))) {
        found++;
      } else {
        problems.add("record " + sample.getKey() + " (\"" + VectorRecord.preview(preview, 60) + "\") is not in the"
            + " top " + TOP + " of a search for its own text; the top is " + ids(hits));
      }
    }
    for (Check check : checks) {
      List<SearchHit> hits = searcher.search(check.query, TOP, SearchMode.DENSE, Fusion.DEFAULT);
      if (hits.stream().anyMatch(h -> check.file.equals(Evaluation.fileName(h.source())))) {
        passed++;
      } else {
        problems.add("--validate: \"" + check.query + "\" does not find " + check.file + " in its top " + TOP
            + "; it finds " + hits.stream().map(h -> Evaluation.fileName(h.source()) + " p" + h.page()).toList());
      }
    }
    if (samples.isEmpty() && written > 0) {
      problems.add(store.describeTarget() + " gave no text chunk to sample");
    }
    out.println("reindex: checked " + store.describeTarget() + ": " + count + " records (the run wrote " + written
        + "), dimension " + searcher.model().dimension() + ", " + found + " of " + samples.size()
        + " sampled records in the top " + TOP + " for their own text, " + passed + " of " + checks.size()
        + " --validate checks");
    return problems;
  }

  /** The versions the name does not serve. */
  private static long kept(CollectionVersions versions) throws IOException {
    String serving = versions.live();
    return versions.byNumber().values().stream().filter(v -> !v.equals(serving)).count();
  }

  private static String ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::id).toList().toString();
  }

  /** Keeps the newest {@code keep} versions that the name no longer serves; drops the others. */
  static List<String> dropBeyondKeep(CollectionVersions versions, int keep) throws IOException {
    String serving = versions.live();
    List<String> earlier = new ArrayList<>(versions.byNumber().values());
    earlier.remove(serving);
    java.util.Collections.reverse(earlier);
    List<String> dropped = new ArrayList<>();
    for (String name : earlier.subList(Math.min(keep, earlier.size()), earlier.size())) {
      versions.dropVersion(name);
      dropped.add(name);
    }
    return dropped;
  }

  /** One line of --validate: a query and the file name of the PDF it must find. */
  static final class Check {
    final String query;
    final String file;

    Check(String query, String file) {
      this.query = query;
      this.file = file;
    }

    static List<Check> read(String path) throws IOException {
      List<Check> checks = new ArrayList<>();
      if (path.isBlank()) {
        return checks;
      }
      int n = 0;
      for (String line : Files.readAllLines(Path.of(path), StandardCharsets.UTF_8)) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t");
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
          throw new IllegalArgumentException("line " + n + " is not QUERY<tab>FILE.pdf: " + line);
        }
        checks.add(new Check(parts[0].trim(), parts[1].trim()));
      }
      return checks;
    }
  }
}

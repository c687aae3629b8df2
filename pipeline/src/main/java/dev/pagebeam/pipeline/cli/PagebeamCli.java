package dev.pagebeam.pipeline.cli;

import dev.pagebeam.pipeline.options.ModelSpecs;
import dev.pagebeam.pipeline.ingest.Summary;
import dev.pagebeam.pipeline.ingest.IngestJob;
import dev.pagebeam.pipeline.incremental.RunLock;
import dev.pagebeam.pipeline.runner.RunnerSetup;
import dev.pagebeam.pipeline.sink.Sinks;
import dev.pagebeam.pipeline.options.MilvusImportOptions;
import dev.pagebeam.pipeline.options.ReindexOptions;
import dev.pagebeam.pipeline.options.EvalOptions;
import dev.pagebeam.pipeline.options.QueryOptions;
import dev.pagebeam.pipeline.options.ServeOptions;
import dev.pagebeam.pipeline.serve.ServeCommand;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The {@code pagebeam} command line. Exit codes: 0 the run completed (dead letters included),
 * 1 the run failed, 2 the command or configuration is wrong (nothing was read).
 */
public final class PagebeamCli {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  /** Another run holds the sink's lock. */
  static final int LOCKED = 3;

  private PagebeamCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || isHelp(args[0])) {
      out.print(help());
      return args.length == 0 ? USAGE : OK;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.stream(rest).anyMatch(PagebeamCli::isHelp)) {
      out.print(help());
      return OK;
    }
    switch (command) {
      case "ingest":
        return ingest(rest, out, err);
      case "reindex":
        return reindex(rest, out, err);
      case "eval":
        return search("eval", EvalOptions.class, EvalCommand::run, rest, out, err);
      case "inspect-model":
        return inspectModel(rest, out, err);
      case "query":
        return search("query", QueryOptions.class, QueryCommand::run, rest, out, err);
      case "serve":
        return search("serve", ServeOptions.class, ServeCommand::run, rest, out, err);
      case "milvus-import":
        return milvusImport(rest, out, err);
      case "options-table":
        out.print(optionsTable());
        return OK;
      default:
        err.println("pagebeam: unknown command '" + command + "'. Run 'pagebeam --help' for the commands.");
        return USAGE;
    }
  }

  private static int ingest(String[] args, PrintStream out, PrintStream err) {
    PagebeamOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("pagebeam ingest: " + e.getMessage());
      return USAGE;
    }
    // the lock comes first: the sink guard may create or recreate the collection
    try (RunLock lock = RunLock.acquire(java.nio.file.Path.of(options.getLockDir()),
        Sinks.target(options).toString())) {
      return ingest(options, out, err);
    } catch (RunLock.HeldException e) {
      err.println("pagebeam ingest: " + e.getMessage());
      return LOCKED;
    } catch (Exception e) {
      err.println("pagebeam ingest: cannot take the run lock in --lockDir=" + options.getLockDir() + ": " + e);
      return USAGE;
    }
  }

  private static int ingest(PagebeamOptions options, PrintStream out, PrintStream err) {
    IngestJob job;
    try {
      job = IngestJob.prepare(options);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // bad options, a model or device that cannot work, a sink that refuses the model
      err.println("pagebeam ingest: " + e.getMessage());
      return USAGE;
    } catch (Exception e) {
      err.println("pagebeam ingest: cannot start: " + e);
      return USAGE;
    }
    try {
      Summary summary = job.run();
      out.println(summary.line());
      if (!options.getMilvusBulk().isEmpty()) {
        out.println(MilvusImportCommand.afterIngest(options));
      }
      long failed = summary.get(dev.pagebeam.io.SinkCounters.SINK_FAILURES);
      if (failed > 0) {
        err.println("pagebeam ingest: " + failed + " vectors could not be written to " + summary.value("sink")
            + " (the server refused them, or stayed unreachable after retries); they are dead letters under "
            + options.getOutput() + "/dead-letters, each with the reason. Rerun once that is fixed: ids are"
            + " stable, so a rerun only fills the gap.");
        return FAILED;
      }
      return OK;
    } catch (Exception e) {
      err.println("pagebeam ingest: the run failed: " + rootMessage(e));
      e.printStackTrace(err);
      return FAILED;
    }
  }

  private static int reindex(String[] args, PrintStream out, PrintStream err) {
    ReindexOptions options;
    try {
      options = parse(args, ReindexOptions.class);
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("pagebeam reindex: " + e.getMessage());
      return USAGE;
    }
    // the live name's lock: no ingest or other reindex of it runs meanwhile
    try (RunLock lock = RunLock.acquire(java.nio.file.Path.of(options.getLockDir()),
        Sinks.target(options).toString())) {
      return Reindex.run(options, out, err);
    } catch (RunLock.HeldException e) {
      err.println("pagebeam reindex: " + e.getMessage());
      return LOCKED;
    } catch (IOException e) {
      err.println("pagebeam reindex: cannot take the run lock in --lockDir=" + options.getLockDir() + ": " + e);
      return USAGE;
    }
  }

  private static int milvusImport(String[] args, PrintStream out, PrintStream err) {
    MilvusImportOptions options;
    try {
      options = parse(args, MilvusImportOptions.class);
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("pagebeam milvus-import: " + e.getMessage());
      return USAGE;
    }
    try {
      return MilvusImportCommand.run(options, out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("pagebeam milvus-import: interrupted; the import tasks go on on the server");
      return FAILED;
    }
  }

  private static int inspectModel(String[] args, PrintStream out, PrintStream err) {
    try {
      PagebeamOptions options = parse(args);
      InspectModel.print(ModelSpecs.of(options), out);
      return OK;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("pagebeam inspect-model: " + e.getMessage());
      return USAGE;
    } catch (Exception e) {
      err.println("pagebeam inspect-model: " + e.getMessage());
      return USAGE;
    }
  }

  /** What a command that searches a sink does with its parsed options. */
  private interface Search<T extends QueryOptions> {
    void run(T options, boolean modelGiven, PrintStream out) throws Exception;
  }

  /** query and eval: a bad option or question is a usage error (2), a failing search a failure (1). */
  private static <T extends QueryOptions> int search(String command, Class<T> kind, Search<T> body, String[] args,
      PrintStream out, PrintStream err) {
    try {
      PipelineOptionsFactory.register(kind);
      T options = PipelineOptionsFactory.fromArgs(args).withValidation().as(kind);
      org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(options);
      body.run(options, mentions(args, "model"), out);
      return OK;
    } catch (IllegalArgumentException e) {
      err.println("pagebeam " + command + ": " + e.getMessage());
      return USAGE;
    } catch (Exception e) {
      err.println("pagebeam " + command + ": " + e.getMessage());
      return FAILED;
    }
  }

  /** Parses options strictly (an unknown or misspelled option is an error, never ignored). */
  public static PagebeamOptions parse(String[] args) {
    return parse(args, PagebeamOptions.class);
  }

  static <T extends PagebeamOptions> T parse(String[] args, Class<T> kind) {
    PipelineOptionsFactory.register(kind);
    T options;
    try {
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(kind);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (see pagebeam --help)", e);
    }
    RunnerSetup.configure(options, args);
    return options;
  }

  private static boolean mentions(String[] args, String option) {
    return RunnerSetup.mentions(args, option);
  }

  private static boolean isHelp(String a) {
    return a.equals("--help") || a.equals("-h") || a.equals("help");
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e) : e.getMessage() + " (cause: " + t + ")";
  }

  /** The help text, built from the options' own descriptions and defaults. */
  static String help() {
    StringBuilder b = new StringBuilder();
    b.append("pagebeam: PDF corpora to vectors for multimodal retrieval, as an Apache Beam pipeline.\n\n");
    b.append("Usage: pagebeam COMMAND [--option=value ...]\n\n");
    b.append("Commands:\n");
    b.append("  ingest        split PDFs into text chunks, page thumbnails and embedded images, encode them\n");
    b.append("                with the model, write the vectors and the dead letters under --output, then\n");
    b.append("                print one SUMMARY line\n");
    b.append("  reindex       ingest the whole input into a new version of a Chroma or Milvus collection\n");
    b.append("                (NAME_vN) while NAME keeps serving, check it, switch NAME to it (Milvus: an\n");
    b.append("                alias; Chroma: two renames), and keep --keep earlier versions\n");
    b.append("  query         embed --text (or --image) with the collection's model and print the --k nearest\n");
    b.append("                records of --sink (file: exact search, chroma://, milvus://)\n");
    b.append("  serve         serve --sink over HTTP on --host:--port: OpenAI-compatible /v1/embeddings with the\n");
    b.append("                collection's model, /search, /openapi.json (an LLM tool), a search page at /,\n");
    b.append("                /health and /metrics (docs/serve.md)\n");
    b.append("  eval          run the questions of --queries (FILE.pdf, relevant pages, question) against --sink\n");
    b.append("                and print recall@k, MRR@10 and nDCG@10, overall and per file, and the misses;\n");
    b.append("                --mode=all prints every search mode side by side\n");
    b.append("  inspect-model print a model's family, dimension, max tokens, pooling, graph inputs and outputs,\n");
    b.append("                and the device it would run on (--model, --device)\n");
    b.append("  milvus-import load the Parquet files of an ingest --milvusBulk run into --sink (a Milvus\n");
    b.append("                server, not Milvus Lite) with Milvus's import: --files are their paths in the\n");
    b.append("                server's bucket\n");
    b.append("  bench-split   benchmark: the split stage on the DirectRunner vs a bare 2-thread loop\n");
    b.append("  bench-encode  benchmark: the encode stage vs a bare ONNX Runtime loop vs LangChain4j\n");
    b.append("  bench-sink    benchmark: the Chroma and Milvus sinks vs a bare loop of upserts\n");
    b.append("  bench-ocr     benchmark: OCR of scanned pages and embedded images vs a bare 2-thread loop, and\n");
    b.append("                accuracy and time per page by resolution\n");
    b.append("  bench-ingest  benchmark: each stage alone vs the whole ingest on the DirectRunner and on Flink\n");
    b.append("  bench-incremental  benchmark: the incremental rerun over an unchanged corpus vs the full ingest\n");
    b.append("  bench-reindex benchmark: readers' time without a whole answer, ingest --recreate vs reindex\n");
    b.append("  bench-hostile benchmark: ingest of a hostile corpus under the default heap vs the JVM's\n");
    b.append("  bench-fusion  benchmark: hybrid search's fusion functions side by side on the same rankings\n");
    b.append("  bench-serve   benchmark: pagebeam serve's embeddings and search at 1, 4 and 16 clients vs the\n");
    b.append("                bare model loop and the bare store search, on the file sink, Chroma and Milvus\n");
    b.append("  --help        this text\n\n");
    appendOptions(b, "Options (ingest):\n", PagebeamOptions.class);
    appendOptions(b, "\nOptions (query; it also takes --sink, --model, the Chroma and Milvus options and --device):\n",
        QueryOptions.class);
    appendOptions(b, "\nOptions (serve; it also takes --sink, --output, --model and the options query takes):\n",
        ServeOptions.class);
    appendOptions(b, "\nOptions (eval; it also takes --sink, --model, --k and the options query takes):\n",
        EvalOptions.class);
    appendOptions(b, "\nOptions (reindex; it also takes every ingest option):\n", ReindexOptions.class);
    appendOptions(b, "\nOptions (milvus-import; it also takes --sink and the Milvus options):\n",
        MilvusImportOptions.class);
    b.append("\nBeam options such as --runner and --targetParallelism are accepted too.\n");
    b.append("Exit codes: 0 the run completed (some files may be dead letters), 1 the run failed,\n");
    b.append("2 the command line or configuration is wrong (nothing was read), 3 another run holds the\n");
    b.append("collection's lock.\n");
    return b.toString();
  }

  /** Each option an options interface declares: --name=default, then its description. */
  private static void appendOptions(StringBuilder b, String title, Class<?> options) {
    b.append(title);
    for (OptionDoc o : optionDocs(options)) {
      b.append(String.format("  --%s=%s%n", o.name, o.defaultValue.isEmpty() ? "..." : o.defaultValue));
      b.append("      ").append(o.description).append('\n');
    }
  }

  /** The options table (docs/configuration.md must contain it verbatim; a test checks). */
  static String optionsTable() {
    StringBuilder b = new StringBuilder("| option | default | what it does |\n|---|---|---|\n");
    for (OptionDoc o : optionDocs()) {
      b.append("| `--").append(o.name).append("` | `").append(o.defaultValue).append("` | ")
          .append(o.description).append(" |\n");
    }
    return b.toString();
  }

  /** Name, default and description of one option. */
  static final class OptionDoc {
    final String name;
    final String defaultValue;
    final String description;

    OptionDoc(String name, String defaultValue, String description) {
      this.name = name;
      this.defaultValue = defaultValue;
      this.description = description;
    }
  }

  static List<OptionDoc> optionDocs() {
    return optionDocs(PagebeamOptions.class);
  }

  /** The options an options interface declares itself, in {@link #ORDER} (then name) order. */
  static List<OptionDoc> optionDocs(Class<?> optionsInterface) {
    List<OptionDoc> docs = new ArrayList<>();
    for (Method m : optionsInterface.getMethods()) {
      if (m.getDeclaringClass() != optionsInterface || !m.getName().startsWith("get")) {
        continue;
      }
      Description d = m.getAnnotation(Description.class);
      if (d == null) {
        continue;
      }
      String name = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      docs.add(new OptionDoc(name, defaultOf(m), d.value()));
    }
    // Reflection does not keep declaration order; ORDER does.
    docs.sort(Comparator.<OptionDoc>comparingInt(o -> ORDER.indexOf(o.name) < 0 ? Integer.MAX_VALUE
        : ORDER.indexOf(o.name)).thenComparing(o -> o.name));
    return docs;
  }

  static final List<String> ORDER = List.of(
      "input", "output", "model", "maxTokens", "overlapTokens", "pageImages", "thumbnailSize", "embeddedImages",
      "minImageSize", "maxImageSide", "maxImagePixels", "memoryPerDocumentMb", "fileTimeoutSeconds", "pagesPerTask",
      "ocr", "ocrLanguages", "ocrDataDir", "ocrDpi", "ocrUpscaleBelow", "ocrSecondsPerImage",
      "encode", "device", "cpuThreads", "cudaMemoryLimitMb", "textBatchSize", "imageBatchSize", "maxBatchTokens",
      "encoderShards", "encoderBatching", "maxBufferingSeconds", "workers", "recreate", "full", "prune", "lockDir", "sink", "chromaTenant", "chromaDatabase", "milvusDatabase",
      "milvusToken", "milvusTokenFile", "milvusTls", "milvusBulk", "sinkBatchSize", "sinkRequestsInFlight", "sinkRetrySeconds", "writeElements", "writeImages",
      "text", "image", "mode", "k", "fusion", "hybridWeight", "fusionDepth", "queries", "json", "keep", "validate", "files",
      "importTimeoutSeconds");

  private static String defaultOf(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      return m.getAnnotation(Default.String.class).value();
    }
    if (m.getAnnotation(Default.Integer.class) != null) {
      return Integer.toString(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.getAnnotation(Default.Long.class) != null) {
      return Long.toString(m.getAnnotation(Default.Long.class).value());
    }
    if (m.getAnnotation(Default.Boolean.class) != null) {
      return Boolean.toString(m.getAnnotation(Default.Boolean.class).value());
    }
    if (m.getAnnotation(Default.InstanceFactory.class) != null) {
      return m.getAnnotation(Default.InstanceFactory.class).value() == PagebeamOptions.LockDirFactory.class
          ? "<java.io.tmpdir>/pagebeam-locks" : "<pagebeam home>/samples/*.pdf";
    }
    return "";
  }
}

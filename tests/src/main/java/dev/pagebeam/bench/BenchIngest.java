package dev.pagebeam.bench;

import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.files.FileVectorSink;
import dev.pagebeam.pipeline.ingest.IngestConfig;
import dev.pagebeam.pipeline.ingest.IngestPdfs;
import dev.pagebeam.transforms.encode.EmbeddedElement;
import dev.pagebeam.transforms.encode.EncodePdfElements;
import dev.pagebeam.transforms.encode.EncodeSettings;
import dev.pagebeam.transforms.model.DeviceRequest;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelSpec;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.split.SplitPdfs;
import dev.pagebeam.transforms.split.SplitSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code bin/pagebeam bench-ingest}: where the time of an ingest goes, in one run. Each stage alone
 * on the same elements (split the PDFs; encode the split elements; write the vectors), then the
 * whole ingest end to end on the DirectRunner and on a local 2-TaskManager Flink cluster; pages/s
 * and vectors/s of each, the ratio of each end-to-end run to the bound 1 / (sum of the per-page
 * stage costs), and the peak resident memory of the client and of each TaskManager.
 */
public final class BenchIngest {
  private BenchIngest() {}

  static final String USAGE = "usage: bin/pagebeam bench-ingest [--input=FILE,FILE...] [--flinkWorkers=N]"
      + " [--skipFlink=true]\n  stage costs vs end-to-end ingest on the DirectRunner and a local Flink cluster;"
      + " see docs/BENCHMARKS.md";

  /** Real manuals of the corpus, 2,224 pages. */
  static final List<String> DEFAULT_INPUT = List.of("octave-doc/octave.pdf", "gnuplot-doc/gnuplot.pdf",
      "debian-reference-en/debian-reference.en.pdf", "python-reportlab-doc/reportlab-userguide.pdf",
      "r-doc-pdf/R-intro.pdf", "r-doc-pdf/R-data.pdf", "r-doc-pdf/R-FAQ.pdf", "r-doc-pdf/R-admin.pdf",
      "r-doc-pdf/R-lang.pdf");

  // Collected by the stage-alone pipelines (the DirectRunner runs in this JVM).
  static final ConcurrentLinkedQueue<PdfElement> ELEMENTS = new ConcurrentLinkedQueue<>();
  static final ConcurrentLinkedQueue<EmbeddedElement> EMBEDDED = new ConcurrentLinkedQueue<>();

  /** --input's files, or the {@link #DEFAULT_INPUT} manuals of the corpus (which must be fetched). */
  static List<String> input(BenchArgs a) {
    return input(a, DEFAULT_INPUT);
  }

  /** --input's files, or {@code defaults}, paths in the corpus (which must be fetched). */
  static List<String> input(BenchArgs a, List<String> defaults) {
    List<String> input = new ArrayList<>();
    if (!a.get("input", "").isEmpty()) {
      input.addAll(List.of(a.get("input", "").split(",")));
      return input;
    }
    Path home = Path.of(System.getProperty("pagebeam.home", ".")).toAbsolutePath().normalize();
    for (String f : defaults) {
      Path p = home.resolve("tools/corpus/pdf").resolve(f);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(p + " is missing (run scripts/fetch-corpus.sh for the corpus)");
      }
      input.add(p.toString());
    }
    return input;
  }

  public static void main(String[] args) throws Exception {
    Set<String> known = Set.of("input", "flinkWorkers", "skipFlink");
    BenchArgs.main("bench-ingest", USAGE, args, known, a -> {
      Path home = Path.of(System.getProperty("pagebeam.home", ".")).toAbsolutePath().normalize();
      List<String> input = input(a);
      int flinkWorkers = a.getInt("flinkWorkers", 2);
      boolean flink = !Boolean.parseBoolean(a.get("skipFlink", "false"));
      Path work = Files.createTempDirectory("pagebeam-bench-ingest");
      System.out.printf("bench-ingest: %d PDFs, default model, CPU; work directory %s%n", input.size(), work);

      // 1. each stage alone, on the same elements
      SplitSettings split = IngestConfig.splitSettings(PagebeamDefaults.options());
      long t0 = System.nanoTime();
      Pipeline p = direct(2);
      p.apply(Create.of(input)).apply(SplitPdfs.with(split)).elements().apply(ParDo.of(new Collect()));
      p.run().waitUntilFinish();
      double splitSeconds = (System.nanoTime() - t0) / 1e9;
      List<PdfElement> elements = new ArrayList<>(ELEMENTS);
      ELEMENTS.clear();
      long pages = elements.stream().filter(e -> e.getType() == dev.pagebeam.transforms.elements.ElementType.PAGE_IMAGE)
          .count();

      ModelSpec model = new ModelSpec(ModelLocation.bundled(ModelLocation.DEFAULT_MODEL), DeviceRequest.parse("cpu"),
          0, 0);
      EncodeSettings encode = EncodeSettings.of(model).withShards(2);
      t0 = System.nanoTime();
      p = direct(1);
      p.apply(Create.of(elements).withCoder(PdfElement.ElementCoder.of()))
          .apply(EncodePdfElements.with(encode)).embedded().apply(ParDo.of(new CollectEmbedded()));
      p.run().waitUntilFinish();
      double encodeSeconds = (System.nanoTime() - t0) / 1e9;
      List<VectorRecord> records = EMBEDDED.stream()
          .map(e -> IngestPdfs.toRecord(e, work.resolve("alone").toString(), true)).collect(Collectors.toList());
      EMBEDDED.clear();
      elements.clear();

      t0 = System.nanoTime();
      p = direct(1);
      p.apply(Create.of(records).withCoder(VectorRecord.RecordCoder.of()))
          .apply(FileVectorSink.write(work.resolve("alone").toString(), 384));
      p.run().waitUntilFinish();
      double writeSeconds = (System.nanoTime() - t0) / 1e9;
      long vectors = records.size();
      records.clear();

      double bound = splitSeconds + encodeSeconds + writeSeconds;
      List<String> rows = new ArrayList<>();
      rows.add(row("split alone (2 threads)", pages, vectors, splitSeconds, null, -1));
      rows.add(row("encode alone (1 thread)", pages, vectors, encodeSeconds, null, -1));
      rows.add(row("write alone (file sink)", pages, vectors, writeSeconds, null, -1));
      rows.add(row("bound: 1 / sum of stage costs", pages, vectors, bound, null, -1));

      // 2. end to end, each in its own process (peak RSS of the client)
      Run directRun = ingest(home, input, work.resolve("direct"), List.of());
      rows.add(row("end to end, DirectRunner", directRun.pages, directRun.vectors, directRun.seconds, bound,
          directRun.peakKb));
      String tmMemory = "";
      if (flink) {
        Map<String, String> cluster = cluster(home, "start");
        try {
          for (String batching : List.of("keyed", "bundle")) {
            Run flinkRun = ingest(home, input, work.resolve("flink-" + batching), List.of("--runner=FlinkRunner",
                "--flinkMaster=" + cluster.get("FLINK_MASTER"), "--workers=" + flinkWorkers, "--cpuThreads=1",
                "--encoderBatching=" + batching));
            rows.add(row("end to end, Flink, " + batching + " batching", flinkRun.pages, flinkRun.vectors,
                flinkRun.seconds, bound, flinkRun.peakKb));
          }
          StringBuilder tm = new StringBuilder();
          for (Map.Entry<String, String> e : cluster.entrySet()) {
            if (e.getKey().matches("FLINK_TM\\d+_PID")) {
              tm.append(String.format(Locale.ROOT, "%s peak RSS %.2f GB; ", e.getKey().replace("_PID", ""),
                  peakKb(Long.parseLong(e.getValue())) / 1e6));
            }
          }
          tmMemory = tm.toString();
        } finally {
          cluster(home, "stop");
        }
      }
      System.out.printf("%-34s %7s %8s %9s %10s %12s %7s %12s%n", "stage", "pages", "vectors", "seconds", "pages/s",
          "vectors/s", "/bound", "peak RSS GB");
      rows.forEach(System.out::println);
      if (!tmMemory.isEmpty()) {
        System.out.println(tmMemory);
      }
    });
  }

  private static String row(String name, long pages, long vectors, double seconds, Double bound, long peakKb) {
    return String.format(Locale.ROOT, "%-34s %7d %8d %9.1f %10.1f %12.1f %7s %12s", name, pages, vectors, seconds,
        pages / seconds, vectors / seconds, bound == null ? "" : String.format(Locale.ROOT, "%.2f", bound / seconds),
        peakKb < 0 ? "" : String.format(Locale.ROOT, "%.2f", peakKb / 1e6));
  }

  private static Pipeline direct(int threads) {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(threads);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    return Pipeline.create(options);
  }

  /** The command line's defaults, as ingest applies them. */
  static final class PagebeamDefaults {
    private PagebeamDefaults() {}

    static dev.pagebeam.pipeline.options.PagebeamOptions options() {
      return PipelineOptionsFactory.as(dev.pagebeam.pipeline.options.PagebeamOptions.class);
    }
  }

  static final class Collect extends DoFn<PdfElement, Void> {
    @ProcessElement
    public void process(@Element PdfElement e) {
      ELEMENTS.add(e);
    }
  }

  static final class CollectEmbedded extends DoFn<EmbeddedElement, Void> {
    @ProcessElement
    public void process(@Element EmbeddedElement e) {
      EMBEDDED.add(e);
    }
  }

  /** An end-to-end run: its SUMMARY's pages and vectors, wall time, and the process's peak RSS. */
  static final class Run {
    long pages;
    long vectors;
    double seconds;
    long peakKb;
  }

  /** bin/pagebeam ingest in a process of its own, under /usr/bin/time for its peak RSS. */
  static Run ingest(Path home, List<String> input, Path output, List<String> extra) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "PEAK_KB %M",
        home.resolve("bin/pagebeam").toString(), "ingest", "--input=" + String.join(",", input),
        "--output=" + output, "--writeImages=false"));
    command.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PAGEBEAM_NO_BUILD", "1");
    Process process = pb.start();
    Run run = new Run();
    List<String> tail = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        tail.add(line);
        if (tail.size() > 20) {
          tail.remove(0);
        }
        if (line.contains("progress:")) {
          System.out.println("  " + line);
        } else if (line.startsWith("SUMMARY ")) {
          System.out.println("  " + line);
          com.fasterxml.jackson.databind.JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(line.substring("SUMMARY ".length()));
          run.pages = s.get("pages").asLong();
          run.vectors = s.get("vectors_written").asLong();
          run.seconds = s.get("seconds").asDouble();
        } else if (line.startsWith("PEAK_KB ")) {
          run.peakKb = Long.parseLong(line.substring("PEAK_KB ".length()).trim());
        }
      }
    }
    if (process.waitFor() != 0 || run.seconds == 0) {
      System.out.println(String.join("\n", tail));
      throw new IllegalStateException("bin/pagebeam ingest " + extra + " failed (exit " + process.exitValue() + ")");
    }
    return run;
  }

  /** runner-configs/flink/local-cluster.sh COMMAND, then its env (FLINK_MASTER, the PIDs). */
  static Map<String, String> cluster(Path home, String command) throws Exception {
    Path script = home.resolve("runner-configs/flink/local-cluster.sh");
    Process p = new ProcessBuilder(script.toString(), command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("local-cluster.sh " + command + " failed");
    }
    Map<String, String> env = new HashMap<>();
    if (!command.equals("stop")) {
      Process e = new ProcessBuilder(script.toString(), "env").start();
      for (String line : new String(e.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("=")) {
          env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
      }
      e.waitFor();
    }
    return env;
  }

  /** The peak resident set of a running process, from /proc (VmHWM), in kB. */
  static long peakKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}

package dev.pagebeam.pipeline.ingest;

import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.transforms.core.PagebeamCounters;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.ManifestEntry;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.split.DocumentReport;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.split.SplitCounters;
import dev.pagebeam.transforms.elements.TextSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The per-file ledger, {@code OUTPUT/ledger/ledger-*.jsonl}: one line per matched file saying how it
 * ended (indexed, failed, no searchable content, or not encoded), with its counts and the reason.
 * Every fact is summed per file's path with a combiner (partial sums before the shuffle, so only a
 * few numbers per file travel), under a shuffle key shared by a few files; the file report the split
 * makes for every matched file is what makes the line exist.
 */
final class WriteLedger extends PTransform<PCollectionTuple, PCollection<ManifestEntry>> {
  static final String FILES_WITHOUT_CONTENT = "files_without_content";
  static final String INDEXED = "indexed";
  static final String FAILED = "failed";
  static final String NO_CONTENT = "no_searchable_content";
  static final String NOT_ENCODED = "not_encoded";

  /** Every file the split saw gets one report: what makes its line exist. Required. */
  static final TupleTag<DocumentReport> REPORTS = new TupleTag<DocumentReport>() {};
  /** The split's elements. Required. */
  static final TupleTag<PdfElement> ELEMENTS = new TupleTag<PdfElement>() {};
  /** The split's and the encoder's dead letters. Required. */
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  /** The records handed to the sink; absent when nothing is encoded. */
  static final TupleTag<VectorRecord> VECTORS = new TupleTag<VectorRecord>() {};
  /** What the sink could not write; present with {@link #VECTORS}. */
  static final TupleTag<SinkFailure> SINK_FAILURES = new TupleTag<SinkFailure>() {};
  /** Lines made elsewhere (unchanged and removed documents of an incremental run); optional. */
  static final TupleTag<String> MORE_LINES = new TupleTag<String>() {};

  /** What the ledger needs to know of the run to say why a file has no vectors. */
  static final class Run implements Serializable {
    private static final long serialVersionUID = 1L;
    final boolean encode;
    final boolean modelEncodesImages;
    final String model;
    final String ocrMode;

    Run(boolean encode, boolean modelEncodesImages, String model, String ocrMode) {
      this.encode = encode;
      this.modelEncodesImages = modelEncodesImages;
      this.model = model;
      this.ocrMode = ocrMode;
    }
  }

  private final String output;
  private final Run run;
  /** The incremental run's settings fingerprint, or null when the run keeps no manifest. */
  private final String fingerprint;
  /** Shuffle keys the files are summed under. */
  private final int keys;
  /** A fact about a file: its path and counts. */
  static final Coder<KV<String, Counts>> FACT_CODER = KvCoder.of(StringUtf8Coder.of(), Counts.CountsCoder.of());

  /**
   * Writes {@code output/ledger/} from the facts of the input tuple (see the tags). When {@code
   * fingerprint} is set, the output holds the manifest entries of the files indexed completely;
   * otherwise it is empty.
   */
  WriteLedger(String output, Run run, String fingerprint, int keys) {
    this.output = output;
    this.run = run;
    this.fingerprint = fingerprint;
    this.keys = keys;
  }

  /** The sums of the files under one key, each file's facts summed as they come. */
  static final class SumPerFile extends Combine.CombineFn<KV<String, Counts>, Map<String, Counts>, Map<String, Counts>> {
    @Override
    public Map<String, Counts> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, Counts> addInput(Map<String, Counts> sums, KV<String, Counts> fact) {
      sums.merge(fact.getKey(), fact.getValue(), Counts::plus);
      return sums;
    }

    @Override
    public Map<String, Counts> mergeAccumulators(Iterable<Map<String, Counts>> all) {
      Map<String, Counts> merged = new HashMap<>();
      for (Map<String, Counts> sums : all) {
        sums.forEach((file, c) -> merged.merge(file, c, Counts::plus));
      }
      return merged;
    }

    @Override
    public Map<String, Counts> extractOutput(Map<String, Counts> sums) {
      return sums;
    }

    @Override
    public Coder<Map<String, Counts>> getAccumulatorCoder(CoderRegistry registry, Coder<KV<String, Counts>> in) {
      return MapCoder.of(StringUtf8Coder.of(), Counts.CountsCoder.of());
    }

    @Override
    public Coder<Map<String, Counts>> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<String, Counts>> in) {
      return getAccumulatorCoder(registry, in);
    }
  }

  /** One element per file of a key's sums. */
  static final class EachFileFn extends DoFn<KV<Integer, Map<String, Counts>>, KV<String, Counts>> {
    @ProcessElement
    public void process(@Element KV<Integer, Map<String, Counts>> sums, OutputReceiver<KV<String, Counts>> out) {
      sums.getValue().forEach((file, c) -> out.output(KV.of(file, c)));
    }
  }

  @Override
  public PCollection<ManifestEntry> expand(PCollectionTuple in) {
    List<PCollection<KV<String, Counts>>> facts = new ArrayList<>();
    facts.add(facts("Reports", in.get(REPORTS), Counts::of));
    facts.add(facts("Elements", in.get(ELEMENTS), Counts::of));
    facts.add(facts("DeadLetters", in.get(DEAD_LETTERS), Counts::of));
    if (in.has(VECTORS)) {
      facts.add(facts("Vectors", in.get(VECTORS), Counts::of));
      facts.add(facts("SinkFailures", in.get(SINK_FAILURES), Counts::of));
    }
    // Summed per file under a key shared by a few files (see IngestConfig.spreadKeys): a key per file
    // made every step below run once per file on the DirectRunner.
    int keys = this.keys;
    PCollection<KV<String, Counts>> perFile = PCollectionList.of(facts)
        .apply("AllFacts", Flatten.pCollections())
        .apply("ByKey", WithKeys.of((KV<String, Counts> f) -> Math.floorMod(f.getKey().hashCode(), keys))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), FACT_CODER))
        .apply("PerFile", Combine.perKey(new SumPerFile()))
        .apply("EachFile", ParDo.of(new EachFileFn()))
        .setCoder(FACT_CODER);
    PCollection<String> lines = perFile.apply("LedgerLine", ParDo.of(new LineFn(run)));
    if (in.has(MORE_LINES)) {
      lines = PCollectionList.of(lines).and(in.get(MORE_LINES)).apply("AllLedgerLines", Flatten.pCollections());
    }
    lines.apply("WriteLedger", TextIO.write().to(output + "/ledger/ledger").withSuffix(".jsonl"));
    if (fingerprint == null) {
      return in.getPipeline().apply("NoManifestEntries", Create.empty(ManifestEntry.CODER));
    }
    // in a batch job the per-file sums come after every write of the file has answered
    return perFile.apply("ManifestEntry", ParDo.of(new ManifestEntryFn(run, fingerprint)))
        .setCoder(ManifestEntry.CODER);
  }

  /**
   * The manifest entry of a file indexed without a loss (or read and found without content): a
   * file with sink failures or dead letters gets none, so the next run tries it again.
   */
  static final class ManifestEntryFn extends DoFn<KV<String, Counts>, ManifestEntry> {
    private final Run run;
    private final String fingerprint;

    ManifestEntryFn(Run run, String fingerprint) {
      this.run = run;
      this.fingerprint = fingerprint;
    }

    @ProcessElement
    public void process(@Element KV<String, Counts> file, OutputReceiver<ManifestEntry> out) {
      Counts c = file.getValue();
      String status = status(c, run);
      if (c.documentId != null && (status.equals(INDEXED) || status.equals(NO_CONTENT))
          && c.n[Counts.SINK_FAILURES] == 0 && c.n[Counts.DEAD_LETTERS] == 0) {
        out.output(new ManifestEntry(file.getKey(), c.documentId, fingerprint,
            c.vectorsWritten()));
      }
    }
  }

  private static <T> PCollection<KV<String, Counts>> facts(String name, PCollection<T> in,
      SerializableFunction<T, KV<String, Counts>> fn) {
    return in.apply(name + "ToLedger", MapElements.into(new TypeDescriptor<KV<String, Counts>>() {}).via(fn))
        .setCoder(FACT_CODER);
  }

  /** The counts of one file, summed over every fact about it. */
  static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int FILES = 0;
    static final int PAGES = 1;
    static final int PAGES_WITHOUT_TEXT = 2;
    static final int OCR_PAGES = 3;
    static final int CHUNKS = 4;
    static final int OCR_CHUNKS = 5;
    static final int IMAGES = 6;
    static final int IMAGES_WITH_TEXT = 7;
    static final int VECTORS = 8;
    static final int SINK_FAILURES = 9;
    static final int DEAD_LETTERS = 10;
    static final int SPLIT_MILLIS = 11;
    static final int OCR_SKIPPED_PAGES = 12;
    static final int SIZE = 13;

    final long[] n = new long[SIZE];
    String documentId;
    String failure;
    /** The first dead letter's description, by a stable order (the smallest). */
    String deadLetter;

    static KV<String, Counts> of(DocumentReport r) {
      Counts c = new Counts();
      c.n[FILES] = r.isFileReport() ? 1 : 0;
      c.n[PAGES] = r.pages();
      c.n[PAGES_WITHOUT_TEXT] = r.pagesWithoutText();
      c.n[OCR_PAGES] = r.ocrPages();
      c.n[OCR_SKIPPED_PAGES] = r.ocrSkippedPages();
      c.n[SPLIT_MILLIS] = r.millis();
      c.documentId = r.documentId();
      c.failure = r.failure();
      return KV.of(r.source(), c);
    }

    static KV<String, Counts> of(PdfElement e) {
      Counts c = new Counts();
      if (e.getType() == ElementType.TEXT_CHUNK) {
        c.n[CHUNKS] = 1;
        c.n[OCR_CHUNKS] = e.text().source() == TextSource.OCR ? 1 : 0;
      } else if (e.getType() == ElementType.EMBEDDED_IMAGE) {
        c.n[IMAGES] = 1;
        c.n[IMAGES_WITH_TEXT] = e.hasText() ? 1 : 0;
      }
      c.documentId = e.getDocumentId();
      return KV.of(e.getSource(), c);
    }

    static KV<String, Counts> of(DeadLetter d) {
      Counts c = new Counts();
      c.n[DEAD_LETTERS] = 1;
      c.deadLetter = d.getStage() + " " + d.getErrorKind() + (d.getElement() == null ? "" : " (" + d.getElement() + ")")
          + ": " + d.getMessage();
      return KV.of(d.getFile(), c);
    }

    static KV<String, Counts> of(VectorRecord r) {
      Counts c = new Counts();
      c.n[VECTORS] = 1;
      return KV.of(r.source(), c);
    }

    static KV<String, Counts> of(SinkFailure f) {
      Counts c = new Counts();
      c.n[SINK_FAILURES] = 1;
      return KV.of(f.source(), c);
    }

    /** The sum of two files' facts, as a new Counts (neither input changes). */
    static Counts plus(Counts a, Counts b) {
      Counts s = new Counts();
      for (int i = 0; i < SIZE; i++) {
        s.n[i] = a.n[i] + b.n[i];
      }
      s.documentId = a.documentId != null ? a.documentId : b.documentId;
      // the smallest, as for dead letters: a file's page ranges may fail differently, and its line
      // must not depend on which report arrived first
      s.failure = smaller(a.failure, b.failure);
      s.deadLetter = smaller(a.deadLetter, b.deadLetter);
      return s;
    }

    private static String smaller(String a, String b) {
      return a == null ? b : b == null || a.compareTo(b) <= 0 ? a : b;
    }

    long vectorsWritten() {
      return n[VECTORS] - n[SINK_FAILURES];
    }

    /** Deterministic coder: the counts, then the three optional strings. */
    static final class CountsCoder extends AtomicCoder<Counts> {
      private static final Coder<String> NULLABLE = NullableCoder.of(StringUtf8Coder.of());

      static CountsCoder of() {
        return new CountsCoder();
      }

      @Override
      public void encode(Counts c, OutputStream out) throws IOException {
        for (long v : c.n) {
          VarLongCoder.of().encode(v, out);
        }
        NULLABLE.encode(c.documentId, out);
        NULLABLE.encode(c.failure, out);
        NULLABLE.encode(c.deadLetter, out);
      }

      @Override
      public Counts decode(InputStream in) throws IOException {
        Counts c = new Counts();
        for (int i = 0; i < SIZE; i++) {
          c.n[i] = VarLongCoder.of().decode(in);
        }
        c.documentId = NULLABLE.decode(in);
        c.failure = NULLABLE.decode(in);
        c.deadLetter = NULLABLE.decode(in);
        return c;
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  /**
   * A file's ledger line; and SUMMARY's files_ok (indexed, or split with --encode=false),
   * files_failed and files_without_content, counted here from the lines themselves so that the
   * SUMMARY says what the ledger says.
   */
  static final class LineFn extends DoFn<KV<String, Counts>, String> {
    private static final Counter WITHOUT_CONTENT = Metrics.counter(PagebeamCounters.NAMESPACE, FILES_WITHOUT_CONTENT);
    private static final Counter FILES_OK = Metrics.counter(PagebeamCounters.NAMESPACE, SplitCounters.FILES_OK);
    private static final Counter FILES_FAILED = Metrics.counter(PagebeamCounters.NAMESPACE, SplitCounters.FILES_FAILED);
    private final Run run;

    LineFn(Run run) {
      this.run = run;
    }

    @ProcessElement
    public void process(@Element KV<String, Counts> file, OutputReceiver<String> out) {
      Counts c = file.getValue();
      String status = status(c, run);
      (status.equals(NO_CONTENT) ? WITHOUT_CONTENT : status.equals(FAILED) ? FILES_FAILED : FILES_OK).inc();
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("source", file.getKey());
      if (c.documentId != null) {
        n.put("document_id", c.documentId);
      }
      n.put("status", status);
      n.put("pages", c.n[Counts.PAGES]);
      n.put("pages_without_text", c.n[Counts.PAGES_WITHOUT_TEXT]);
      n.put("ocr_pages", c.n[Counts.OCR_PAGES]);
      n.put("ocr_skipped_pages", c.n[Counts.OCR_SKIPPED_PAGES]);
      n.put("text_chunks", c.n[Counts.CHUNKS]);
      n.put("ocr_chunks", c.n[Counts.OCR_CHUNKS]);
      n.put("images", c.n[Counts.IMAGES]);
      n.put("images_with_text", c.n[Counts.IMAGES_WITH_TEXT]);
      n.put("vectors", c.vectorsWritten());
      n.put("sink_failures", c.n[Counts.SINK_FAILURES]);
      n.put("dead_letters", c.n[Counts.DEAD_LETTERS]);
      n.put("split_seconds", c.n[Counts.SPLIT_MILLIS] / 1000.0);
      String reason = reason(c, status, run);
      if (reason != null) {
        n.put("reason", reason);
      }
      out.output(Json.write(n));
    }
  }

  static String status(Counts c, Run run) {
    if (c.failure != null) {
      return FAILED;
    }
    if (!run.encode) {
      return NOT_ENCODED;
    }
    if (c.vectorsWritten() > 0) {
      return INDEXED;
    }
    // nothing written because its vectors or elements failed: that is a failure, not a file
    // without content
    return c.n[Counts.SINK_FAILURES] > 0 || c.n[Counts.DEAD_LETTERS] > 0 ? FAILED : NO_CONTENT;
  }

  private static String skippedAsBlank(Counts c) {
    long skipped = c.n[Counts.OCR_SKIPPED_PAGES];
    return skipped == 0 ? ""
        : " (" + skipped + " page" + (skipped == 1 ? "" : "s") + " rendered nearly blank and were not read)";
  }

  /** Why the file ended as it did, from its counts; null for a file indexed without losses. */
  static String reason(Counts c, String status, Run run) {
    List<String> why = new ArrayList<>();
    switch (status) {
      case FAILED:
        if (c.failure != null) {
          return c.failure;
        }
        break;
      case NOT_ENCODED:
        why.add("split only (--encode=false)");
        break;
      case NO_CONTENT:
        long pages = c.n[Counts.PAGES];
        if (pages == 0) {
          why.add("no page was processed");
        } else if (c.n[Counts.CHUNKS] == 0 && c.n[Counts.PAGES_WITHOUT_TEXT] == pages) {
          why.add(run.ocrMode.equals("off")
              ? "no page has a text layer and OCR is off (--ocr=off)"
              : "no page has a text layer and OCR found no text on its " + c.n[Counts.OCR_PAGES] + " pages"
                  + skippedAsBlank(c));
        } else if (c.n[Counts.CHUNKS] == 0) {
          why.add("none of its text could be chunked");
        }
        long images = c.n[Counts.IMAGES];
        if (images > 0 && c.n[Counts.IMAGES_WITH_TEXT] == 0 && !run.modelEncodesImages) {
          why.add("its " + images + " image" + (images == 1 ? " has" : "s have") + " no text"
              + (run.ocrMode.equals("off") ? " (OCR is off)" : " (OCR found none) and no caption")
              + ", and model " + run.model + " encodes text only");
        }
        break;
      default:
        break;
    }
    if (c.n[Counts.SINK_FAILURES] > 0) {
      why.add(c.n[Counts.SINK_FAILURES] + " vectors could not be written to the sink");
    }
    if (c.n[Counts.DEAD_LETTERS] > 0) {
      why.add(c.n[Counts.DEAD_LETTERS] + " dead letter" + (c.n[Counts.DEAD_LETTERS] == 1 ? "" : "s") + ", first: "
          + c.deadLetter);
    }
    return why.isEmpty() ? (status.equals(NO_CONTENT) ? "nothing in it to embed" : null) : String.join("; ", why);
  }
}

package dev.pagebeam.io.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.CheckDimensionFn;
import dev.pagebeam.io.SinkCounters;
import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.VectorRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The file sink: vectors as JSON lines under {@code DIR/vectors/}, on any Beam file system. A
 * {@code _collection.json} beside them records the model and dimension, so a later run with a
 * different model is refused before it reads a PDF, by the same guard as a vector store.
 *
 * <pre>{@code
 * CollectionGuard.prepare(new FileVectorStore(dir), "bge-small-en-v1.5-q", 384, false);   // before the pipeline
 * PCollection<SinkFailure> failed = records.apply(FileVectorSink.write(dir, 384));
 * }</pre>
 */
public final class FileVectorSink {
  public static final String COLLECTION_FILE = "_collection.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FileVectorSink() {}

  static ResourceId vectorsDir(String dir) {
    return FileSystems.matchNewResource(dir, true).resolve("vectors", StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** Records the model and dimension of the vectors under {@code dir} (see {@link FileVectorStore#create}). */
  static void writeManifest(String dir, String model, int dimension) throws IOException {
    ResourceId manifest = vectorsDir(dir).resolve(COLLECTION_FILE, StandardResolveOptions.RESOLVE_FILE);
    ObjectNode m = JSON.createObjectNode();
    m.put("model", model);
    m.put("dimension", dimension);
    m.put("metric", "cosine");
    m.put("format", "JSON lines: vectors/vectors-SSSSS-of-NNNNN.jsonl");
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(manifest, "application/json"))) {
      out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    }
  }

  /** Reads the model and dimension recorded for an output, or null when there is none. */
  public static JsonNode describe(String dir) throws IOException {
    ResourceId manifest = vectorsDir(dir).resolve(COLLECTION_FILE, StandardResolveOptions.RESOLVE_FILE);
    MatchResult match = FileSystems.match(manifest.toString());
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      return null;
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(manifest))) {
      return JSON.readTree(in);
    }
  }

  public static Write write(String dir, int dimension) {
    return new Write(dir, dimension);
  }

  /** One record as a JSON line. */
  public static String toJson(VectorRecord r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", r.id());
    n.put("document_id", r.documentId());
    n.put("type", r.type());
    n.put("source", r.source());
    n.put("page", r.page());
    if (r.text() != null) {
      n.put("text", r.text());
    }
    n.put("ref", r.ref());
    n.put("content_hash", r.contentHash());
    n.put("model", r.modelId());
    if (r.textSource() != null) {
      n.put("text_source", r.textSource());
    }
    if (r.thumbnail() != null) {
      n.put("thumbnail", r.thumbnail());
    }
    ArrayNode v = n.putArray("vector");
    for (float f : r.vector()) {
      v.add(f);
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a line written by {@link #toJson}. */
  public static VectorRecord fromJson(String line) throws IOException {
    JsonNode n = JSON.readTree(line.getBytes(StandardCharsets.UTF_8));
    JsonNode v = n.get("vector");
    float[] vector = new float[v.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) v.get(i).asDouble();
    }
    return new VectorRecord(n.get("id").asText(), n.get("document_id").asText(), n.get("type").asText(),
        n.get("source").asText(), n.get("page").asInt(), n.has("text") ? n.get("text").asText() : null,
        n.get("ref").asText(), n.get("content_hash").asText(), n.get("model").asText(), vector)
        .withPage(n.has("thumbnail") ? n.get("thumbnail").asText() : null,
            n.has("text_source") ? n.get("text_source").asText() : null);
  }

  /** CheckDimension then WriteJsonLines; returns the records that were not written. */
  public static final class Write extends PTransform<PCollection<VectorRecord>, PCollection<SinkFailure>> {
    private final String dir;
    private final int dimension;
    private final PCollection<String> carried;

    Write(String dir, int dimension) {
      this(dir, dimension, null);
    }

    private Write(String dir, int dimension, PCollection<String> carried) {
      this.dir = dir;
      this.dimension = dimension;
      this.carried = carried;
    }

    /**
     * Also writes {@code lines}, vector lines of an earlier run kept as they are (an incremental
     * run's unchanged documents), into the same shards.
     */
    public Write withCarried(PCollection<String> lines) {
      return new Write(dir, dimension, lines);
    }

    @Override
    public PCollection<SinkFailure> expand(PCollection<VectorRecord> records) {
      if (dimension < 1) {
        throw new IllegalArgumentException("the file sink needs the model's dimension, got " + dimension);
      }
      PCollectionTuple checked = CheckDimensionFn.check(records, dimension, "file:" + dir);
      PCollection<String> lines = checked.get(CheckDimensionFn.OK).apply("ToJson", ParDo.of(new ToJsonFn()));
      if (carried != null) {
        // carried lines are written again but are not this run's vectors
        lines = org.apache.beam.sdk.values.PCollectionList.of(lines)
            .and(carried.apply("NotThisRunsVectors", ParDo.of(new UncountCarriedFn())))
            .apply("WithCarriedLines", org.apache.beam.sdk.transforms.Flatten.pCollections());
      }
      lines.apply("WriteJsonLines", TextIO.write().to(vectorsDir(dir).resolve("vectors",
              StandardResolveOptions.RESOLVE_FILE).toString()).withSuffix(".jsonl").withOutputFilenames())
          .getPerDestinationOutputFilenames()
          .apply("CountWrittenLines", ParDo.of(new CountWrittenLinesFn()));
      return checked.get(CheckDimensionFn.FAILURES);
    }
  }

  private static final class ToJsonFn extends DoFn<VectorRecord, String> {
    @ProcessElement
    public void process(@Element VectorRecord r, OutputReceiver<String> out) {
      out.output(toJson(r));
    }
  }

  /** Takes carried lines off vectors_written, which counts every line of the written shards. */
  private static final class UncountCarriedFn extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String line, OutputReceiver<String> out) {
      SinkCounters.vectorsWritten.dec();
      out.output(line);
    }
  }

  /**
   * vectors_written of the file sink: the lines of each shard once TextIO has written and renamed
   * it, read back from the file system, so the count is of what is on disk.
   */
  private static final class CountWrittenLinesFn extends DoFn<KV<Object, String>, Void> {
    @ProcessElement
    public void process(@Element KV<Object, String> shard) throws IOException {
      long lines = 0;
      try (InputStream in = new java.io.BufferedInputStream(
          Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(shard.getValue(), false))), 1 << 16)) {
        for (int b = in.read(); b >= 0; b = in.read()) {
          lines += b == '\n' ? 1 : 0;
        }
      }
      SinkCounters.vectorsWritten.inc(lines);
    }
  }
}

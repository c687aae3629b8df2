package dev.pagebeam.io.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.CollectionState;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.SinkCollection;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;

/**
 * The file sink's output read as a collection: its recorded model and dimension, its count, and
 * exact (brute-force cosine) and BM25 search. It has no writer role: the shards are written by
 * {@link FileVectorSink#write}.
 */
public final class FileVectorStore implements SinkCollection {
  private final String dir;

  public FileVectorStore(String dir) {
    this.dir = dir;
  }

  @Override
  public CollectionState describe() throws IOException {
    JsonNode manifest = FileVectorSink.describe(dir);
    return manifest == null ? CollectionState.absent()
        : CollectionState.present(manifest.path("dimension").asInt(), manifest.path("model").asText(null));
  }

  @Override
  public void create(int dimension, String model) throws IOException {
    FileVectorSink.writeManifest(dir, model, dimension);
  }

  @Override
  public void drop() {
    // create overwrites the manifest; ingest removes the old shards before it writes
  }

  @Override
  public int probeDimension(int dimension) throws IOException {
    return describe().dimension();
  }

  @Override
  public long count() throws IOException {
    long[] n = {0};
    forEach(r -> n[0]++);
    return n[0];
  }

  @Override
  public java.util.Set<String> existing(java.util.Collection<String> ids) throws IOException {
    java.util.Set<String> wanted = new java.util.HashSet<>(ids);
    java.util.Set<String> found = new java.util.HashSet<>();
    forEach(r -> {
      if (wanted.contains(r.id())) {
        found.add(r.id());
      }
    });
    return found;
  }

  @Override
  public List<SearchHit> search(float[] vector, int k) throws IOException {
    PriorityQueue<SearchHit> best = new PriorityQueue<>(Comparator.comparingDouble(SearchHit::score));
    double nq = 0;
    for (float q : vector) {
      nq += q * q;
    }
    double queryNorm = nq;
    forEach(r -> {
      float[] v = r.vector();
      if (v.length != vector.length) {
        return;
      }
      double dot = 0;
      double nv = 0;
      for (int i = 0; i < v.length; i++) {
        dot += v[i] * vector[i];
        nv += v[i] * v[i];
      }
      best.add(new SearchHit(r.id(), dot / Math.sqrt(nv * queryNorm), r.type(), r.source(), r.page(), r.preview(200), r.ref()));
      if (best.size() > k) {
        best.poll();
      }
    });
    List<SearchHit> hits = new ArrayList<>(best);
    hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
    return hits;
  }

  /** Built on the first text search, from every record's text, and kept for the next ones. */
  private dev.pagebeam.io.store.Bm25Index lexical;

  @Override
  public boolean hasLexical() {
    return true;
  }

  /** Exact BM25 over the stored texts (chunks, and the OCR and caption text of image records). */
  @Override
  public List<SearchHit> searchText(String text, int k) throws IOException {
    if (lexical == null) {
      dev.pagebeam.io.store.Bm25Index index = new dev.pagebeam.io.store.Bm25Index();
      forEach(r -> index.add(new SearchHit(r.id(), 0, r.type(), r.source(), r.page(), r.preview(200), r.ref()),
          r.text()));
      lexical = index;
    }
    return lexical.search(text, k);
  }

  /** Every ({@code chunks} / n)-th text chunk in shard order, up to {@code n} of them. */
  @Override
  public java.util.Map<String, String> sampleTexts(int n, long chunks) throws IOException {
    long step = Math.max(1, chunks / Math.max(1, n));
    long[] seen = {0};
    java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
    forEach(r -> {
      if (r.type().equals("text_chunk") && texts.size() < n && seen[0]++ % step == 0) {
        texts.put(r.id(), r.text());
      }
    });
    return texts;
  }

  private interface RecordConsumer {
    void accept(VectorRecord r) throws IOException;
  }

  private void forEach(RecordConsumer consumer) throws IOException {
    MatchResult m = FileSystems.match(FileVectorSink.vectorsDir(dir).resolve("vectors-*.jsonl",
        StandardResolveOptions.RESOLVE_FILE).toString(), EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK) {
      return;
    }
    for (MatchResult.Metadata md : m.metadata()) {
      try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(
          Channels.newInputStream(FileSystems.open(md.resourceId())), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.isBlank()) {
            consumer.accept(FileVectorSink.fromJson(line));
          }
        }
      }
    }
  }

  @Override
  public String describeTarget() {
    return "file:" + dir;
  }

  @Override
  public void close() {
    if (lexical != null) {
      try {
        lexical.close();
      } catch (IOException e) {
        // an in-memory index: nothing is left behind
      }
      lexical = null;
    }
  }
}

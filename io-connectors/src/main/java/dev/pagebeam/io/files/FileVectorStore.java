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

  /**
   * Exact cosine search over every record. The first search reads the shards once and keeps each
   * record's unit vector and metadata in memory (about 1.6 kB per record at 384 dimensions), so that
   * later queries of the same process are a scan of arrays, not of JSON.
   */
  @Override
  public List<SearchHit> search(float[] vector, int k) throws IOException {
    Snapshot all = snapshot();
    float[] query = unit(vector);
    PriorityQueue<SearchHit> best = new PriorityQueue<>(Comparator.comparingDouble(SearchHit::score));
    for (int r = 0; r < all.hits.size(); r++) {
      float[] v = all.vectors.get(r);
      if (v.length != query.length) {
        continue;
      }
      double dot = 0;
      for (int i = 0; i < v.length; i++) {
        dot += v[i] * query[i];
      }
      if (best.size() < k || dot > best.peek().score()) {
        best.add(all.hits.get(r).withScore(dot));
        if (best.size() > k) {
          best.poll();
        }
      }
    }
    List<SearchHit> hits = new ArrayList<>(best);
    hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
    return hits;
  }

  @Override
  public boolean hasLexical() {
    return true;
  }

  /** Exact BM25 over the stored texts (chunks, and the OCR and caption text of image records). */
  @Override
  public List<SearchHit> searchText(String text, int k) throws IOException {
    return snapshot().lexical().search(text, k);
  }

  /** The shards as read by the first search; a store is opened per command, so it does not go stale. */
  private Snapshot snapshot;

  private synchronized Snapshot snapshot() throws IOException {
    if (snapshot == null) {
      Snapshot s = new Snapshot();
      forEach(r -> {
        s.hits.add(new SearchHit(r.id(), 0, r.type(), r.source(), r.page(), r.preview(200), r.ref())
            .withContent(r.text(), r.thumbnail()));
        s.vectors.add(unit(r.vector()));
        s.texts.add(r.text());
      });
      snapshot = s;
    }
    return snapshot;
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      u[i] = norm == 0 ? 0 : (float) (v[i] / norm);
    }
    return u;
  }

  /** Every record's metadata and unit vector, and the BM25 index of their texts, built on first use. */
  private static final class Snapshot {
    final List<SearchHit> hits = new ArrayList<>();
    final List<float[]> vectors = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    dev.pagebeam.io.store.Bm25Index lexical;

    dev.pagebeam.io.store.Bm25Index lexical() throws IOException {
      if (lexical == null) {
        dev.pagebeam.io.store.Bm25Index index = new dev.pagebeam.io.store.Bm25Index();
        for (int i = 0; i < hits.size(); i++) {
          index.add(hits.get(i), texts.get(i));
        }
        lexical = index;
        texts = null;
      }
      return lexical;
    }
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
    if (snapshot != null && snapshot.lexical != null) {
      try {
        snapshot.lexical.close();
      } catch (IOException e) {
        // an in-memory index: nothing is left behind
      }
    }
    snapshot = null;
  }
}

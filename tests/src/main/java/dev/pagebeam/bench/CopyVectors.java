package dev.pagebeam.bench;

import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.files.FileVectorSink;
import dev.pagebeam.io.store.VectorStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The file sink's vectors written as they are into a database collection, through the store's own
 * writer: the same records without encoding the corpus again (for benchmarks and tests that compare
 * sinks' search on identical vectors).
 */
public final class CopyVectors {
  private CopyVectors() {}

  /**
   * A new Chroma or Milvus collection at {@code sink} (a URI; dropped first when it exists) holding
   * every record of a file sink, made with the file sink's model; returns the count.
   */
  public static long copyInto(Path fileSink, String sink) throws IOException {
    dev.pagebeam.pipeline.options.PagebeamOptions o = org.apache.beam.sdk.options.PipelineOptionsFactory
        .fromArgs("--sink=" + sink).as(dev.pagebeam.pipeline.options.PagebeamOptions.class);
    String model = FileVectorSink.describe(fileSink.toString()).path("model").asText();
    try (VectorStore store = dev.pagebeam.pipeline.sink.Sinks.database(dev.pagebeam.pipeline.sink.Sinks.target(o),
        o)) {
      if (store.describe().exists()) {
        store.drop();
      }
      return copy(fileSink, store, model);
    }
  }

  /** Creates the collection with {@code model} and its dimension, and upserts every record; returns the count. */
  public static long copy(Path fileSink, VectorStore store, String model) throws IOException {
    List<Path> shards;
    try (Stream<Path> s = Files.list(fileSink.resolve("vectors"))) {
      shards = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
    }
    List<VectorRecord> batch = new ArrayList<>();
    long n = 0;
    boolean created = false;
    for (Path shard : shards) {
      for (String line : Files.readAllLines(shard, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        VectorRecord r = FileVectorSink.fromJson(line);
        if (!created) {
          store.create(r.dimension(), model);
          created = true;
        }
        batch.add(r);
        if (batch.size() == 500) {
          store.upsert(batch);
          n += batch.size();
          batch.clear();
        }
      }
    }
    if (!batch.isEmpty()) {
      store.upsert(batch);
      n += batch.size();
    }
    return n;
  }
}

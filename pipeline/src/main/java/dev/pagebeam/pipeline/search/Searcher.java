package dev.pagebeam.pipeline.search;

import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.store.CollectionState;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.SinkCollection;
import dev.pagebeam.pipeline.options.ModelSpecs;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.pipeline.sink.Sinks;
import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelLocation;
import java.io.IOException;
import java.util.List;

/**
 * A sink's collection and the model it was written with, loaded once: what query and eval search
 * through. Refuses a model whose vectors the collection does not hold.
 */
public final class Searcher implements AutoCloseable {
  private final SinkCollection store;
  private final EmbeddingModel model;

  private Searcher(SinkCollection store, EmbeddingModel model) {
    this.store = store;
    this.model = model;
  }

  public static Searcher open(PagebeamOptions o, boolean modelGiven) throws IOException {
    SinkTarget target = Sinks.target(o);
    SinkCollection store = Sinks.open(target, o);
    EmbeddingModel model = null;
    try {
      CollectionState state = store.describe();
      if (!state.exists()) {
        throw new IllegalArgumentException(store.describeTarget() + " holds no vectors yet: run pagebeam ingest"
            + " with --sink=" + target + " first");
      }
      String modelName = modelGiven || state.model() == null ? o.getModel() : state.model();
      ModelLocation location;
      try {
        location = ModelLocation.parse(modelName);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(store.describeTarget() + " was written with model " + modelName
            + ", which is not bundled: pass its directory with --model", e);
      }
      model = EmbeddingModel.load(ModelSpecs.of(o, location));
      String id = model.manifest().id();
      if (state.model() != null && !state.model().equals(id)) {
        throw new IllegalArgumentException(store.describeTarget() + " was written with model " + state.model()
            + "; querying it with " + id + " would compare vectors of different spaces");
      }
      if (state.dimension() != null && state.dimension() != model.dimension()) {
        throw new IllegalArgumentException(store.describeTarget() + " holds " + state.dimension()
            + "-dimension vectors; model " + id + " makes " + model.dimension());
      }
      return new Searcher(store, model);
    } catch (IOException | RuntimeException e) {
      if (model != null) {
        model.close();
      }
      store.close();
      throw e;
    }
  }

  public String modelId() {
    return model.manifest().id();
  }

  public String describeTarget() {
    return store.describeTarget();
  }

  /**
   * The {@code k} best records for a text query: by its embedding (with the model's query prefix),
   * by BM25 over the texts (the query as typed), or both fused.
   */
  public List<SearchHit> search(String text, int k, SearchMode mode) throws Exception {
    switch (mode) {
      case LEXICAL:
        return store.searchText(text, k);
      case HYBRID:
        return store.hybridSearch(model.embedTexts(List.of(text), true).vectors[0], text, k);
      default:
        return store.search(model.embedTexts(List.of(text), true).vectors[0], k);
    }
  }

  /** The collection searched. */
  public SinkCollection store() {
    return store;
  }

  /** The collection's model, loaded once. */
  public EmbeddingModel model() {
    return model;
  }

  @Override
  public void close() {
    model.close();
    store.close();
  }
}

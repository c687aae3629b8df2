package dev.pagebeam.pipeline.search;

import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.store.CollectionState;
import dev.pagebeam.io.store.Fusion;
import dev.pagebeam.io.store.Rankings;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.SinkCollection;
import dev.pagebeam.pipeline.options.ModelSpecs;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.pipeline.options.QueryOptions;
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

  /** The dense weight auto gives a query shaped like the document's own text (docs/BENCHMARKS.md, "Fusion"). */
  public static final double AUTO_LEXICAL_LEAN = 0.3;

  /**
   * The {@code k} best records for a text query: by its embedding (with the model's query prefix),
   * by BM25 over the texts (the query as typed), or both fused by {@code fusion} (auto: leaning to
   * the words for a query that {@link QueryShape} finds shaped like the document's own text).
   */
  public List<SearchHit> search(String text, int k, SearchMode mode, Fusion fusion) throws Exception {
    return search(text, mode == SearchMode.LEXICAL ? null : embedQuery(text), k, mode, fusion);
  }

  /** The same, with the query's embedding made elsewhere (null for a lexical search). */
  public List<SearchHit> search(String text, float[] queryVector, int k, SearchMode mode, Fusion fusion)
      throws Exception {
    switch (mode) {
      case LEXICAL:
        return store.searchText(text, k);
      case HYBRID:
      case AUTO:
        return store.hybridSearch(queryVector, text, k, fusionFor(mode, text, fusion));
      default:
        return store.search(queryVector, k);
    }
  }

  /** Both rankings of a text query, {@code depth} deep each: every mode can be derived from them. */
  public Rankings rankings(String text, int depth) throws Exception {
    float[] vector = embedQuery(text);
    return store.hasLexical() || store.hasHybrid() ? store.rankings(vector, text, depth)
        : new Rankings(store.search(vector, depth), List.of());
  }

  /** The fusion the options ask for, validated. */
  public static Fusion fusion(QueryOptions o) {
    return Fusion.of(o.getFusion(), o.getHybridWeight(), o.getFusionDepth());
  }

  /** The first {@code depth} results of {@code mode}, derived from the query's two rankings. */
  public static List<SearchHit> ranked(SearchMode mode, Rankings r, String text, int depth, Fusion fusion) {
    switch (mode) {
      case DENSE:
        return r.top(depth).dense();
      case LEXICAL:
        return r.top(depth).lexical();
      default:
        return fusionFor(mode, text, fusion).fuse(r, depth);
    }
  }

  /** The fusion a hybrid or auto search of {@code text} uses. */
  public static Fusion fusionFor(SearchMode mode, String text, Fusion fusion) {
    return mode == SearchMode.AUTO && QueryShape.of(text).leansLexical()
        ? fusion.withDenseWeight(Math.min(fusion.denseWeight(), AUTO_LEXICAL_LEAN)) : fusion;
  }

  private float[] embedQuery(String text) throws Exception {
    return model.embedTexts(List.of(text), true).vectors[0];
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

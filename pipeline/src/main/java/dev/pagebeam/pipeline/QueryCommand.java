package dev.pagebeam.pipeline;

import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.store.CollectionState;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.VectorStore;
import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelLocation;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * {@code pagebeam query}: embeds a query with the collection's own model (and its query prefix) and
 * prints the nearest records. Works on the file sink (exact search), Chroma and Milvus.
 */
final class QueryCommand {
  private QueryCommand() {}

  static void run(QueryOptions o, boolean modelGiven, PrintStream out) throws Exception {
    if (o.getText().isBlank() && o.getImage().isBlank()) {
      throw new IllegalArgumentException("give --text=\"...\" or --image=FILE");
    }
    if (o.getK() < 1) {
      throw new IllegalArgumentException("--k=" + o.getK() + " must be at least 1");
    }
    try (Searcher searcher = Searcher.open(o, modelGiven)) {
      Mode mode = o.getImage().isBlank() ? Mode.of(o.getMode(), searcher.store) : Mode.dense(o.getMode(), "--image");
      List<SearchHit> hits = o.getImage().isBlank() ? searcher.search(o.getText(), o.getK(), mode)
          : searcher.store.search(embed(searcher.model, o), o.getK());
      out.printf("query %s%s (model %s, %s, %s)%n", o.getText().isBlank() ? "" : "\"" + o.getText() + "\"",
          o.getImage().isBlank() ? "" : " image " + o.getImage(), searcher.modelId(), searcher.describeTarget(),
          mode.label());
      int rank = 1;
      for (SearchHit h : hits) {
        // an image hit shows its file, then its caption and OCR text (the text it was embedded by)
        boolean image = h.type().endsWith("_image");
        out.printf(Locale.ROOT, "%2d. %.4f  %-14s %s  page %d  %s%s%n", rank++, h.score(), h.type(), h.source(),
            h.page(), image ? "image " + h.ref() + "  " : "", h.preview());
      }
      if (hits.isEmpty()) {
        out.println("no results");
      }
    }
  }

  /**
   * A sink's collection and the model it was written with, loaded once: what query and eval search
   * through. Refuses a model whose vectors the collection does not hold.
   */
  static final class Searcher implements AutoCloseable {
    final VectorStore store;
    final EmbeddingModel model;

    private Searcher(VectorStore store, EmbeddingModel model) {
      this.store = store;
      this.model = model;
    }

    static Searcher open(PagebeamOptions o, boolean modelGiven) throws IOException {
      SinkTarget target = Sinks.target(o);
      VectorStore store = Sinks.open(target, o);
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
        model = EmbeddingModel.load(IngestJob.modelSpec(o, location));
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

    String modelId() {
      return model.manifest().id();
    }

    String describeTarget() {
      return store.describeTarget();
    }

    /**
     * The {@code k} best records for a text query: by its embedding (with the model's query prefix),
     * by BM25 over the texts (the query as typed), or both fused.
     */
    List<SearchHit> search(String text, int k, Mode mode) throws Exception {
      switch (mode) {
        case LEXICAL:
          return store.searchText(text, k);
        case HYBRID:
          return store.hybridSearch(model.embedTexts(List.of(text), true).vectors[0], text, k);
        default:
          return store.search(model.embedTexts(List.of(text), true).vectors[0], k);
      }
    }

    @Override
    public void close() {
      model.close();
      store.close();
    }
  }

  /** --mode. */
  enum Mode {
    DENSE,
    LEXICAL,
    HYBRID;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** auto is hybrid where the sink has it, else dense; lexical and hybrid are refused where it has not. */
    static Mode of(String value, VectorStore store) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "auto":
          return store.hasHybrid() ? HYBRID : DENSE;
        case "dense":
          return DENSE;
        case "lexical":
          if (!store.hasLexical()) {
            throw new IllegalArgumentException("--mode=lexical: " + store.noLexicalReason());
          }
          return LEXICAL;
        case "hybrid":
          if (!store.hasHybrid()) {
            throw new IllegalArgumentException("--mode=hybrid: " + store.noLexicalReason());
          }
          return HYBRID;
        default:
          throw new IllegalArgumentException("--mode=" + value + " is not one of auto, dense, lexical, hybrid");
      }
    }

    /** An image query has only its vector. */
    static Mode dense(String value, String why) {
      if (!value.equalsIgnoreCase("auto") && !value.equalsIgnoreCase("dense")) {
        throw new IllegalArgumentException("--mode=" + value + " needs a text query; " + why + " searches by vector");
      }
      return DENSE;
    }
  }

  private static float[] embed(EmbeddingModel model, QueryOptions o) throws Exception {
    float[] text = o.getText().isBlank() ? null : model.embedTexts(List.of(o.getText()), true).vectors[0];
    if (o.getImage().isBlank()) {
      return text;
    }
    if (!model.manifest().encodesImages()) {
      throw new IllegalArgumentException("model " + model.manifest().id() + " encodes text only: --image needs a"
          + " CLIP-family model");
    }
    BufferedImage image = ImageIO.read(new File(o.getImage()));
    if (image == null) {
      throw new IllegalArgumentException("--image=" + o.getImage() + " is not an image this JVM can read");
    }
    float[] picture = model.embedImages(List.of(model.manifest().image().apply(image)))[0];
    if (text == null) {
      return picture;
    }
    float[] both = new float[picture.length];
    double norm = 0;
    for (int i = 0; i < both.length; i++) {
      both[i] = text[i] + picture[i];
      norm += both[i] * both[i];
    }
    for (int i = 0; i < both.length; i++) {
      both[i] /= (float) Math.sqrt(norm);
    }
    return both;
  }
}

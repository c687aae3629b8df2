package dev.pagebeam.transforms.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What pagebeam needs to know about a model: family, pooling, normalisation, dimension, max
 * tokens, prefixes, graph files and image preprocessing. Read from {@code pagebeam-model.json}
 * when the model has one; otherwise inferred from the standard files (sentence-transformers'
 * {@code 1_Pooling/config.json} and {@code sentence_bert_config.json}, Hugging Face's
 * {@code config.json}, {@code tokenizer_config.json} and {@code preprocessor_config.json}) and, for
 * what those leave open, from the ONNX graph when it is loaded.
 */
public final class ModelManifest implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String FILE = "pagebeam-model.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final ModelFamily family;
  private final int dimension;
  private final int maxTokens;
  private final Pooling pooling;
  private final boolean normalize;
  private final String queryPrefix;
  private final String documentPrefix;
  private final String textGraph;
  private final String textOutput;
  private final String visionGraph;
  private final String imageOutput;
  private final ImagePreprocessing image;
  private final List<String> provenance;

  private ModelManifest(String id, ModelFamily family, int dimension, int maxTokens, Pooling pooling,
      boolean normalize, String queryPrefix, String documentPrefix, String textGraph, String textOutput,
      String visionGraph, String imageOutput, ImagePreprocessing image, List<String> provenance) {
    this.id = Objects.requireNonNull(id);
    this.family = Objects.requireNonNull(family);
    this.dimension = dimension;
    this.maxTokens = maxTokens;
    this.pooling = Objects.requireNonNull(pooling);
    this.normalize = normalize;
    this.queryPrefix = queryPrefix == null ? "" : queryPrefix;
    this.documentPrefix = documentPrefix == null ? "" : documentPrefix;
    this.textGraph = Objects.requireNonNull(textGraph);
    this.textOutput = textOutput;
    this.visionGraph = visionGraph;
    this.imageOutput = imageOutput;
    this.image = image;
    this.provenance = List.copyOf(provenance);
    if (maxTokens < 8) {
      throw new IllegalArgumentException("model " + id + ": max_tokens " + maxTokens + " is not usable");
    }
    if (family == ModelFamily.CLIP && (visionGraph == null || image == null)) {
      throw new IllegalArgumentException("model " + id + ": a clip model needs a vision graph and image preprocessing");
    }
  }

  /** Reads the model's manifest, or infers one from its standard files. */
  public static ModelManifest load(ModelLocation model) throws IOException {
    if (model.hasFile(FILE)) {
      return fromManifest(model, (ObjectNode) JSON.readTree(model.readFile(FILE)));
    }
    return infer(model);
  }

  private static ModelManifest fromManifest(ModelLocation model, ObjectNode m) throws IOException {
    List<String> from = new ArrayList<>(List.of(FILE));
    ModelFamily family = ModelFamily.valueOf(required(m, "family").asText().toUpperCase(java.util.Locale.ROOT));
    String textGraph = m.path("text_model").asText(family == ModelFamily.CLIP ? "text_model.onnx" : "model.onnx");
    String visionGraph = family == ModelFamily.CLIP ? m.path("vision_model").asText("vision_model.onnx") : null;
    ImagePreprocessing image = null;
    if (family == ModelFamily.CLIP) {
      if (m.has("image")) {
        image = ImagePreprocessing.fromHuggingFace(m.get("image"));
      } else if (model.hasFile("preprocessor_config.json")) {
        image = ImagePreprocessing.fromHuggingFace(JSON.readTree(model.readFile("preprocessor_config.json")));
        from.add("preprocessor_config.json");
      } else {
        throw new IOException(model.describe() + ": a clip model needs \"image\" in " + FILE
            + " or a preprocessor_config.json");
      }
    }
    Pooling pooling = Pooling.parse(m.path("pooling").asText(family == ModelFamily.CLIP ? "none" : ""));
    return new ModelManifest(
        m.path("id").asText(model.name()),
        family,
        m.path("dimension").asInt(0),
        required(m, "max_tokens").asInt(),
        pooling,
        m.path("normalize").asBoolean(true),
        m.path("query_prefix").asText(""),
        m.path("document_prefix").asText(""),
        textGraph,
        m.path("text_output").asText(null),
        visionGraph,
        m.path("image_output").asText(null),
        image,
        from);
  }

  private static JsonNode required(ObjectNode m, String field) throws IOException {
    JsonNode v = m.get(field);
    if (v == null || v.isNull()) {
      throw new IOException(FILE + " has no \"" + field + "\"");
    }
    return v;
  }

  /** The inference from standard files; what cannot be inferred is an error that names the fix. */
  static ModelManifest infer(ModelLocation model) throws IOException {
    List<String> from = new ArrayList<>();
    String prefix = model.hasFile("onnx/model.onnx") || model.hasFile("onnx/text_model.onnx") ? "onnx/" : "";
    boolean clip = model.hasFile(prefix + "text_model.onnx") && model.hasFile(prefix + "vision_model.onnx");
    if (!clip && !model.hasFile(prefix + "model.onnx")) {
      throw new IOException(model.describe() + " has no model.onnx (text) and no text_model.onnx + vision_model.onnx"
          + " (clip); put the ONNX graph(s) there, or describe them in " + FILE);
    }
    ModelFamily family = clip ? ModelFamily.CLIP : ModelFamily.TEXT;
    Pooling pooling = Pooling.NONE;
    int dimension = 0;
    if (!clip) {
      if (!model.hasFile("1_Pooling/config.json")) {
        throw new IOException(model.describe() + ": cannot tell the pooling (no 1_Pooling/config.json); add " + FILE
            + " with \"pooling\": \"mean\" or \"cls\"");
      }
      JsonNode p = JSON.readTree(model.readFile("1_Pooling/config.json"));
      from.add("1_Pooling/config.json");
      if (p.path("pooling_mode_cls_token").asBoolean(false)) {
        pooling = Pooling.CLS;
      } else if (p.path("pooling_mode_mean_tokens").asBoolean(false)) {
        pooling = Pooling.MEAN;
      } else {
        throw new IOException(model.describe() + ": 1_Pooling/config.json uses a pooling pagebeam does not support"
            + " (only cls and mean tokens)");
      }
      dimension = p.path("word_embedding_dimension").asInt(0);
    }
    int maxTokens = 0;
    if (model.hasFile("sentence_bert_config.json")) {
      maxTokens = JSON.readTree(model.readFile("sentence_bert_config.json")).path("max_seq_length").asInt(0);
      from.add("sentence_bert_config.json");
    }
    if (maxTokens == 0 && model.hasFile("tokenizer_config.json")) {
      long m = JSON.readTree(model.readFile("tokenizer_config.json")).path("model_max_length").asLong(0);
      if (m > 0 && m < 100_000) {
        maxTokens = (int) m;
        from.add("tokenizer_config.json");
      }
    }
    if (maxTokens == 0 && model.hasFile("config.json")) {
      JsonNode c = JSON.readTree(model.readFile("config.json"));
      maxTokens = c.path("max_position_embeddings").asInt(c.path("text_config").path("max_position_embeddings").asInt(0));
      if (maxTokens > 0) {
        from.add("config.json");
      }
    }
    if (maxTokens == 0) {
      throw new IOException(model.describe() + ": cannot tell the maximum sequence length (no sentence_bert_config.json,"
          + " tokenizer_config.json or config.json says it); add " + FILE + " with \"max_tokens\"");
    }
    ImagePreprocessing image = null;
    if (clip) {
      if (!model.hasFile("preprocessor_config.json")) {
        throw new IOException(model.describe() + ": a clip model needs preprocessor_config.json");
      }
      image = ImagePreprocessing.fromHuggingFace(JSON.readTree(model.readFile("preprocessor_config.json")));
      from.add("preprocessor_config.json");
    }
    return new ModelManifest(model.name(), family, dimension, maxTokens, pooling, true, "", "",
        prefix + (clip ? "text_model.onnx" : "model.onnx"), null, clip ? prefix + "vision_model.onnx" : null, null,
        image, from);
  }

  /** A copy whose dimension is known (taken from the loaded graph). */
  ModelManifest withDimension(int dimension, String source) {
    List<String> from = new ArrayList<>(provenance);
    from.add(source);
    return new ModelManifest(id, family, dimension, maxTokens, pooling, normalize, queryPrefix, documentPrefix,
        textGraph, textOutput, visionGraph, imageOutput, image, from);
  }

  public String id() {
    return id;
  }

  public ModelFamily family() {
    return family;
  }

  public boolean encodesImages() {
    return family == ModelFamily.CLIP;
  }

  /** The vector length; 0 until known (a loaded model always knows it). */
  public int dimension() {
    return dimension;
  }

  /** Longest input the model takes, special tokens included. */
  public int maxTokens() {
    return maxTokens;
  }

  public Pooling pooling() {
    return pooling;
  }

  public boolean normalize() {
    return normalize;
  }

  public String queryPrefix() {
    return queryPrefix;
  }

  public String documentPrefix() {
    return documentPrefix;
  }

  public String textGraph() {
    return textGraph;
  }

  /** Name of the text graph output to use, or null to pick by shape. */
  public String textOutput() {
    return textOutput;
  }

  public String visionGraph() {
    return visionGraph;
  }

  public String imageOutput() {
    return imageOutput;
  }

  public ImagePreprocessing image() {
    return image;
  }

  /** Which files the manifest came from. */
  public List<String> provenance() {
    return provenance;
  }
}

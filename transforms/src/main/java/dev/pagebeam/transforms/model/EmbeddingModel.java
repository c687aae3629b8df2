package dev.pagebeam.transforms.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * A loaded embedding model: ONNX Runtime session(s), the tokenizer and the manifest. Texts are
 * tokenised without silent truncation (an input over the model's limit is cut explicitly and
 * counted), padded to the longest in the batch, pooled and normalised as the manifest says.
 * Thread-safe; runs of one session are serialised so that concurrent callers do not oversubscribe
 * the CPU (each run already uses every intra-op thread).
 */
public final class EmbeddingModel implements AutoCloseable {
  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final String PIXEL_VALUES = "pixel_values";

  private final ModelManifest manifest;
  private final ModelTokenizer tokenizer;
  private final OrtEnvironment env;
  private final OrtSession text;
  private final OrtSession vision;
  private final ExecutionDevice device;
  private final String textOutput;
  private final String imageOutput;
  private final boolean textTakesMask;
  private final boolean textTakesTokenTypes;
  private final Semaphore runs;

  private EmbeddingModel(ModelManifest manifest, ModelTokenizer tokenizer, OrtEnvironment env, OrtSession text,
      OrtSession vision, ExecutionDevice device, String textOutput, String imageOutput) throws OrtException {
    this.manifest = manifest;
    this.tokenizer = tokenizer;
    this.env = env;
    this.text = text;
    this.vision = vision;
    this.device = device;
    this.textOutput = textOutput;
    this.imageOutput = imageOutput;
    this.runs = new Semaphore(concurrentRuns(device), true);
    this.textTakesMask = text.getInputNames().contains(ATTENTION_MASK);
    this.textTakesTokenTypes = text.getInputNames().contains(TOKEN_TYPE_IDS);
  }

  /** Loads the model; fails with what is wrong (files, graph, dimension, device). */
  public static EmbeddingModel load(ModelSpec spec) throws IOException {
    return load(spec, ExecutionDevice.ONNX_RUNTIME_CUDA);
  }

  static EmbeddingModel load(ModelSpec spec, ExecutionDevice.CudaProvider cuda) throws IOException {
    ModelLocation location = spec.location();
    ModelManifest manifest = ModelManifest.load(location);
    ModelTokenizer tokenizer = ModelTokenizer.load(location);
    OrtSession text = null;
    OrtSession vision = null;
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      ExecutionDevice device;
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        device = ExecutionDevice.configure(options, spec.device(), spec.cpuThreads(), spec.cudaMemoryLimitBytes(), cuda);
        text = session(env, location, manifest.textGraph(), options);
        if (manifest.family() == ModelFamily.CLIP) {
          vision = session(env, location, manifest.visionGraph(), options);
        }
      }
      if (!text.getInputNames().contains(INPUT_IDS)) {
        throw new IOException(location.describe() + "/" + manifest.textGraph() + " has no input_ids input (inputs: "
            + text.getInputNames() + ")");
      }
      int rank = manifest.pooling() == Pooling.NONE ? 2 : 3;
      String textOutput = pickOutput(text, manifest.textOutput(), rank,
          List.of("text_embeds", "sentence_embedding", "last_hidden_state", "token_embeddings"), location);
      int textDim = lastDimension(text, textOutput);
      String imageOutput = null;
      if (vision != null) {
        if (!vision.getInputNames().contains(PIXEL_VALUES)) {
          throw new IOException(location.describe() + "/" + manifest.visionGraph()
              + " has no pixel_values input (inputs: " + vision.getInputNames() + ")");
        }
        imageOutput = pickOutput(vision, manifest.imageOutput(), 2, List.of("image_embeds"), location);
        int imageDim = lastDimension(vision, imageOutput);
        if (textDim > 0 && imageDim > 0 && textDim != imageDim) {
          throw new IOException(location.describe() + ": the text graph outputs " + textDim
              + " dimensions and the vision graph " + imageDim + ": they are not one embedding space");
        }
      }
      EmbeddingModel model = new EmbeddingModel(manifest, tokenizer, env, text, vision, device, textOutput, imageOutput);
      int dimension = textDim > 0 ? textDim : model.embedTexts(List.of("dimension probe"), false).vectors[0].length;
      if (manifest.dimension() > 0 && manifest.dimension() != dimension) {
        model.close();
        throw new IOException(location.describe() + ": " + ModelManifest.FILE + " says dimension "
            + manifest.dimension() + " but the graph outputs " + dimension + " (" + textOutput + ")");
      }
      return manifest.dimension() > 0 ? model
          : model.withManifest(manifest.withDimension(dimension, "the ONNX graph's " + textOutput + " output"));
    } catch (OrtException e) {
      closeQuietly(text, vision, tokenizer);
      throw new IOException("ONNX Runtime cannot load " + location.describe() + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(text, vision, tokenizer);
      throw e;
    }
  }

  /**
   * Runs allowed at once: on the CPU, as many as fit the cores at the configured intra-op threads
   * (2 cores at 1 thread: 2 runs; at 2 threads: 1 run), so the cores stay busy without
   * oversubscribing them; one at a time on a GPU.
   */
  static int concurrentRuns(ExecutionDevice device) {
    if (device.isCuda()) {
      return 1;
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, device.cpuThreads()));
  }

  private EmbeddingModel withManifest(ModelManifest m) throws OrtException {
    return new EmbeddingModel(m, tokenizer, env, text, vision, device, textOutput, imageOutput);
  }

  private static OrtSession session(OrtEnvironment env, ModelLocation location, String graph,
      OrtSession.SessionOptions options) throws IOException, OrtException {
    if (!location.hasFile(graph)) {
      throw new IOException(location.describe() + " has no " + graph);
    }
    if (location.isBundled()) {
      return env.createSession(location.readFile(graph), options);
    }
    return env.createSession(location.directory().resolve(graph).toString(), options);
  }

  private static String pickOutput(OrtSession session, String wanted, int rank, List<String> preferred,
      ModelLocation location) throws OrtException, IOException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    if (wanted != null) {
      if (!outputs.containsKey(wanted)) {
        throw new IOException(location.describe() + ": the graph has no output '" + wanted + "' (outputs: "
            + outputs.keySet() + ")");
      }
      return wanted;
    }
    for (String name : preferred) {
      if (outputs.containsKey(name) && rankOf(outputs.get(name)) == rank) {
        return name;
      }
    }
    for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
      if (rankOf(e.getValue()) == rank) {
        return e.getKey();
      }
    }
    throw new IOException(location.describe() + ": no output of rank " + rank + " among " + outputs.keySet()
        + "; name it in " + ModelManifest.FILE + " (text_output / image_output)");
  }

  private static int rankOf(NodeInfo info) {
    return info.getInfo() instanceof TensorInfo ? ((TensorInfo) info.getInfo()).getShape().length : -1;
  }

  private static int lastDimension(OrtSession session, String output) throws OrtException {
    long[] shape = ((TensorInfo) session.getOutputInfo().get(output).getInfo()).getShape();
    long last = shape[shape.length - 1];
    return last > 0 ? (int) last : 0;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  public ExecutionDevice device() {
    return device;
  }

  public ModelTokenizer tokenizer() {
    return tokenizer;
  }

  public int dimension() {
    return manifest.dimension();
  }

  /** Graph inputs and outputs with their shapes, for inspect-model. */
  public Map<String, String> describeGraphs() throws OrtException {
    Map<String, String> d = new java.util.LinkedHashMap<>();
    describe(d, "text", text);
    if (vision != null) {
      describe(d, "vision", vision);
    }
    return d;
  }

  private static void describe(Map<String, String> d, String graph, OrtSession s) throws OrtException {
    for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) {
      d.put(graph + " input " + e.getKey(), e.getValue().getInfo().toString());
    }
    for (Map.Entry<String, NodeInfo> e : s.getOutputInfo().entrySet()) {
      d.put(graph + " output " + e.getKey(), e.getValue().getInfo().toString());
    }
  }

  /** Vectors of a batch of texts, with what it cost. */
  public static final class TextVectors {
    public final float[][] vectors;
    /** Inputs longer than the model's max tokens, cut explicitly (should be 0). */
    public final int truncated;
    /** batch size x padded length */
    public final int paddedTokens;
    /** Tokens of each input, prefix and special tokens included, after any cut. */
    public final int[] tokens;

    TextVectors(float[][] vectors, int truncated, int paddedTokens, int[] tokens) {
      this.vectors = vectors;
      this.truncated = truncated;
      this.paddedTokens = paddedTokens;
      this.tokens = tokens;
    }
  }

  /** Embeds texts as documents ({@code query=false}, with the document prefix) or as queries. */
  public TextVectors embedTexts(List<String> texts, boolean query) {
    String prefix = query ? manifest.queryPrefix() : manifest.documentPrefix();
    int n = texts.size();
    long[][] ids = new long[n][];
    int[] tokens = new int[n];
    int truncated = 0;
    int longest = 1;
    for (int i = 0; i < n; i++) {
      Encoding e = tokenizer.encode(prefix.isEmpty() ? texts.get(i) : prefix + texts.get(i));
      long[] t = e.getIds();
      if (t.length > manifest.maxTokens()) {
        // Never silently: counted and reported as truncated_chunks.
        long last = t[t.length - 1];
        t = java.util.Arrays.copyOf(t, manifest.maxTokens());
        t[t.length - 1] = last;
        truncated++;
      }
      ids[i] = t;
      tokens[i] = t.length;
      longest = Math.max(longest, t.length);
    }
    long[] flatIds = new long[n * longest];
    long[] mask = new long[n * longest];
    for (int i = 0; i < n; i++) {
      System.arraycopy(ids[i], 0, flatIds, i * longest, ids[i].length);
      java.util.Arrays.fill(mask, i * longest, i * longest + ids[i].length, 1L);
    }
    long[] shape = {n, longest};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(flatIds), shape));
      if (textTakesMask) {
        inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      }
      if (textTakesTokenTypes) {
        inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * longest]), shape));
      }
      float[][] vectors = run(text, inputs, textOutput, n, longest, mask);
      return new TextVectors(vectors, truncated, n * longest, tokens);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a text batch of " + n + ": " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** Embeds preprocessed images (each {@link ImagePreprocessing#size()} floats, CHW). */
  public float[][] embedImages(List<float[]> pixels) {
    if (vision == null) {
      throw new IllegalStateException("model " + manifest.id() + " encodes text only");
    }
    ImagePreprocessing p = manifest.image();
    int n = pixels.size();
    float[] batch = new float[n * p.size()];
    for (int i = 0; i < n; i++) {
      System.arraycopy(pixels.get(i), 0, batch, i * p.size(), p.size());
    }
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(PIXEL_VALUES, OnnxTensor.createTensor(env, FloatBuffer.wrap(batch),
          new long[] {n, 3, p.height(), p.width()}));
      return run(vision, inputs, imageOutput, n, 0, null);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on an image batch of " + n + ": " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private float[][] run(OrtSession session, Map<String, OnnxTensor> inputs, String output, int n, int seq,
      long[] mask) throws OrtException {
    float[] flat;
    long[] shape;
    runs.acquireUninterruptibly();
    try (OrtSession.Result result = session.run(inputs, java.util.Set.of(output))) {
      OnnxTensor tensor = (OnnxTensor) result.get(output).orElseThrow();
      shape = tensor.getInfo().getShape();
      FloatBuffer buffer = tensor.getFloatBuffer();
      flat = new float[buffer.remaining()];
      buffer.get(flat);
    } finally {
      runs.release();
    }
    float[][] vectors = pool(flat, shape, n, seq, mask);
    if (manifest.normalize()) {
      for (float[] v : vectors) {
        normalize(v);
      }
    }
    return vectors;
  }

  private float[][] pool(float[] flat, long[] shape, int n, int seq, long[] mask) {
    int dim = (int) shape[shape.length - 1];
    float[][] out = new float[n][dim];
    if (shape.length == 2) {
      for (int i = 0; i < n; i++) {
        System.arraycopy(flat, i * dim, out[i], 0, dim);
      }
      return out;
    }
    int s = (int) shape[1];
    for (int i = 0; i < n; i++) {
      if (manifest.pooling() == Pooling.CLS) {
        System.arraycopy(flat, i * s * dim, out[i], 0, dim);
        continue;
      }
      // mean over the tokens the attention mask keeps
      double[] sum = new double[dim];
      int count = 0;
      for (int t = 0; t < s; t++) {
        if (mask[i * seq + t] == 0) {
          continue;
        }
        count++;
        int base = (i * s + t) * dim;
        for (int d = 0; d < dim; d++) {
          sum[d] += flat[base + d];
        }
      }
      for (int d = 0; d < dim; d++) {
        out[i][d] = (float) (sum[d] / Math.max(count, 1));
      }
    }
    return out;
  }

  static void normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 1e-12) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(text, vision, tokenizer);
  }

  private static void closeQuietly(OrtSession text, OrtSession vision, ModelTokenizer tokenizer) {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(text);
    all.add(vision);
    all.add(tokenizer);
    for (AutoCloseable c : all) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // closing native resources at teardown: nothing useful to do with a failure
        }
      }
    }
  }
}

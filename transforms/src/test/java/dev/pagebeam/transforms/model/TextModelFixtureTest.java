package dev.pagebeam.transforms.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled text models against reference vectors made independently in Python
 * (scripts/fixtures/make_text_fixtures.py: onnxruntime + tokenizers on the same files, the
 * documented pooling, one sentence per run).
 */
class TextModelFixtureTest {
  /** Full-precision models, on every CPU. */
  private static final double EXACT = 0.99999;
  /** Quantized models, each vector, on every CPU (see quantizedVectorsStayWithinWhatOtherCpusGive). */
  private static final double QUANTIZED_EACH = 0.995;
  private static final double QUANTIZED_MEAN = 0.999;

  static JsonNode fixture(String name) throws IOException {
    try (InputStream in = TextModelFixtureTest.class.getResourceAsStream("/fixtures/text/" + name + ".json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  static List<String> sentences(JsonNode fixture) {
    List<String> sentences = new ArrayList<>();
    fixture.get("sentences").forEach(s -> sentences.add(s.asText()));
    return sentences;
  }

  /**
   * Full-precision models: every vector matches the reference to 0.99999 on every x86-64 CPU (fp32
   * kernels agree across instruction sets: 1.00000000 both on the host that made the reference and
   * on an AVX2-only AMD EPYC).
   */
  @Test
  void fullPrecisionVectorsMatchTheReferenceExactly() throws Exception {
    double[] cosines = embedAgainstReference("all-minilm-l6-v2", "all-minilm-l6-v2");
    for (int i = 0; i < cosines.length; i++) {
      assertThat(cosines[i]).as("all-minilm-l6-v2 sentence %d", i).isGreaterThanOrEqualTo(EXACT);
    }
  }

  /**
   * Quantized (int8) models are not bit-stable across CPUs: ONNX Runtime picks its int8 kernels by
   * instruction set, so some vectors move, most of all those of long inputs. Against the reference
   * (made on an AVX-512 host, where this test gave 0.99999 or better), an AVX2-only AMD EPYC gave:
   * all-minilm-l6-v2-q worst 0.99801, mean 0.99990; bge-small-en-v1.5-q worst 0.99920, mean
   * 0.99988. The bounds leave room for CPUs not measured yet and stay well above the 0.984 to 0.994
   * that quantization itself moves a vector from fp32; a bug does not hide under them (a mean
   * pooling that drops the first token gives 0.9938 on the first sentence and fails).
   */
  @ParameterizedTest
  @ValueSource(strings = {"bge-small-en-v1.5-q", "all-minilm-l6-v2-q"})
  void quantizedVectorsStayWithinWhatOtherCpusGive(String name) throws Exception {
    double[] cosines = embedAgainstReference(name, name);
    double sum = 0;
    for (int i = 0; i < cosines.length; i++) {
      assertThat(cosines[i]).as("%s sentence %d", name, i).isGreaterThanOrEqualTo(QUANTIZED_EACH);
      sum += cosines[i];
    }
    assertThat(sum / cosines.length).as("%s mean cosine to the reference", name).isGreaterThanOrEqualTo(QUANTIZED_MEAN);
  }

  @Test
  void theQuantizedMiniLmStaysAsCloseToFullPrecisionAsQuantizationAllows() throws Exception {
    // the reference's own quantized-vs-fp32 cosines are 0.9842 to 0.9937 over these sentences
    double[] cosines = embedAgainstReference("all-minilm-l6-v2-q", "all-minilm-l6-v2");
    for (int i = 0; i < cosines.length; i++) {
      assertThat(cosines[i]).as("all-minilm-l6-v2-q sentence %d vs fp32", i).isGreaterThanOrEqualTo(0.98);
    }
  }

  /**
   * Embeds every sentence of the fixture of {@code model} one per run and returns its cosine to the
   * vectors of the fixture {@code reference}; checks the truncation count on the way.
   */
  private static double[] embedAgainstReference(String model, String reference) throws Exception {
    JsonNode fixture = fixture(model);
    JsonNode expected = fixture(reference);
    List<String> sentences = sentences(fixture);
    assertThat(sentences).hasSizeGreaterThanOrEqualTo(20).isEqualTo(sentences(expected));
    int expectedTruncated = 0;
    for (JsonNode t : fixture.get("truncated")) {
      expectedTruncated += t.asBoolean() ? 1 : 0;
    }
    assertThat(expectedTruncated).as("some sentences are longer than the model's max tokens").isGreaterThan(0);
    try (EmbeddingModel m = EmbeddingModel.load(ModelSpec.cpu(ModelLocation.bundled(model)))) {
      assertThat(m.dimension()).isEqualTo(384);
      assertThat(m.manifest().maxTokens()).isEqualTo(fixture.get("max_tokens").asInt());
      int truncated = 0;
      double[] cosines = new double[sentences.size()];
      for (int i = 0; i < sentences.size(); i++) {
        EmbeddingModel.TextVectors out = m.embedTexts(List.of(sentences.get(i)), false);
        truncated += out.truncated;
        cosines[i] = cosine(out.vectors[0], expected.get("vectors").get(i));
      }
      assertThat(truncated).as("truncations are counted, never silent").isEqualTo(expectedTruncated);
      System.out.printf("%s vs reference %s: worst cosine %.8f, mean %.8f over %d sentences%n", model, reference,
          java.util.Arrays.stream(cosines).min().orElse(0), java.util.Arrays.stream(cosines).average().orElse(0),
          cosines.length);
      return cosines;
    }
  }

  @Test
  void paddedBatchesGiveTheSameVectorsAsSingleRuns() throws Exception {
    // Full-precision weights: padding and the attention mask must not change any vector.
    String name = "all-minilm-l6-v2";
    JsonNode fixture = fixture(name);
    List<String> sentences = sentences(fixture);
    try (EmbeddingModel model = EmbeddingModel.load(ModelSpec.cpu(ModelLocation.bundled(name)))) {
      for (int start = 0; start < sentences.size(); start += 8) {
        List<String> batch = sentences.subList(start, Math.min(sentences.size(), start + 8));
        EmbeddingModel.TextVectors out = model.embedTexts(batch, false);
        assertThat(out.paddedTokens).isGreaterThanOrEqualTo(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          assertThat(cosine(out.vectors[i], fixture.get("vectors").get(start + i))).isGreaterThanOrEqualTo(EXACT);
        }
      }
    }
  }

  @Test
  void dynamicallyQuantizedModelsShiftSlightlyWithTheirBatch() throws Exception {
    // The -q exports quantize activations per tensor (DynamicQuantizeLinear), so the other rows
    // of a batch move each vector a little; onnxruntime in Python does the same. Documented in
    // README (Models); --textBatchSize=1 makes them exact.
    for (String name : List.of("bge-small-en-v1.5-q", "all-minilm-l6-v2-q")) {
      JsonNode fixture = fixture(name);
      List<String> sentences = sentences(fixture).subList(0, 16);
      try (EmbeddingModel model = EmbeddingModel.load(ModelSpec.cpu(ModelLocation.bundled(name)))) {
        EmbeddingModel.TextVectors out = model.embedTexts(sentences, false);
        for (int i = 0; i < sentences.size(); i++) {
          assertThat(cosine(out.vectors[i], fixture.get("vectors").get(i))).isGreaterThan(0.98);
        }
      }
    }
  }

  static double cosine(float[] a, JsonNode b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    assertThat(a).hasSize(b.size());
    for (int i = 0; i < a.length; i++) {
      double y = b.get(i).asDouble();
      dot += a[i] * y;
      na += (double) a[i] * a[i];
      nb += y * y;
    }
    return dot / Math.sqrt(na * nb);
  }
}

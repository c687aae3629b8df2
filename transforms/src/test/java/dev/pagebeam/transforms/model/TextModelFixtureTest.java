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
  private static final double TARGET = 0.99999;

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

  @ParameterizedTest
  @ValueSource(strings = {"bge-small-en-v1.5-q", "all-minilm-l6-v2", "all-minilm-l6-v2-q"})
  void everySentenceMatchesTheReference(String name) throws Exception {
    JsonNode fixture = fixture(name);
    List<String> sentences = sentences(fixture);
    assertThat(sentences).hasSizeGreaterThanOrEqualTo(20);
    int expectedTruncated = 0;
    for (JsonNode t : fixture.get("truncated")) {
      expectedTruncated += t.asBoolean() ? 1 : 0;
    }
    assertThat(expectedTruncated).as("some sentences are longer than the model's max tokens").isGreaterThan(0);
    try (EmbeddingModel model = EmbeddingModel.load(ModelSpec.cpu(ModelLocation.bundled(name)))) {
      assertThat(model.dimension()).isEqualTo(384);
      assertThat(model.manifest().maxTokens()).isEqualTo(fixture.get("max_tokens").asInt());
      int truncated = 0;
      double worst = 1;
      for (int i = 0; i < sentences.size(); i++) {
        EmbeddingModel.TextVectors out = model.embedTexts(List.of(sentences.get(i)), false);
        truncated += out.truncated;
        double cosine = cosine(out.vectors[0], fixture.get("vectors").get(i));
        worst = Math.min(worst, cosine);
        assertThat(cosine).as("%s sentence %d: %s", name, i, sentences.get(i)).isGreaterThanOrEqualTo(TARGET);
      }
      assertThat(truncated).as("truncations are counted, never silent").isEqualTo(expectedTruncated);
      System.out.printf("%s: worst cosine to the Python reference %.8f over %d sentences%n", name, worst,
          sentences.size());
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
          assertThat(cosine(out.vectors[i], fixture.get("vectors").get(start + i))).isGreaterThanOrEqualTo(TARGET);
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

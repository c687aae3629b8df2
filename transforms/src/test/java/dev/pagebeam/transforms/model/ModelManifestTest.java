package dev.pagebeam.transforms.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {
  @TempDir Path dir;

  @Test
  void bundledModelsCarryTheirManifest() throws Exception {
    ModelManifest bge = ModelManifest.load(ModelLocation.bundled("bge-small-en-v1.5-q"));
    assertThat(bge.pooling()).isEqualTo(Pooling.CLS);
    assertThat(bge.maxTokens()).isEqualTo(512);
    assertThat(bge.queryPrefix()).startsWith("Represent this sentence");
    ModelManifest minilm = ModelManifest.load(ModelLocation.bundled("all-minilm-l6-v2"));
    assertThat(minilm.pooling()).isEqualTo(Pooling.MEAN);
    assertThat(minilm.maxTokens()).isEqualTo(256);
    assertThat(minilm.family()).isEqualTo(ModelFamily.TEXT);
  }

  @Test
  void sentenceTransformersLayoutIsInferredAndTheDimensionComesFromTheGraph() throws Exception {
    ModelLocation bundled = ModelLocation.bundled("all-minilm-l6-v2-q");
    Files.write(dir.resolve("model.onnx"), bundled.readFile("model.onnx"));
    Files.write(dir.resolve("tokenizer.json"), bundled.readFile("tokenizer.json"));
    Files.createDirectories(dir.resolve("1_Pooling"));
    Files.writeString(dir.resolve("1_Pooling/config.json"),
        "{\"word_embedding_dimension\": 384, \"pooling_mode_cls_token\": false, \"pooling_mode_mean_tokens\": true}");
    Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");
    ModelManifest inferred = ModelManifest.load(ModelLocation.parse(dir.toString()));
    assertThat(inferred.pooling()).isEqualTo(Pooling.MEAN);
    assertThat(inferred.maxTokens()).isEqualTo(256);
    assertThat(inferred.dimension()).isEqualTo(384);
    assertThat(inferred.provenance()).contains("1_Pooling/config.json", "sentence_bert_config.json");
    assertThat(inferred.id()).isEqualTo(dir.getFileName().toString());
    try (EmbeddingModel model = EmbeddingModel.load(ModelSpec.cpu(ModelLocation.parse(dir.toString())))) {
      assertThat(model.dimension()).isEqualTo(384);
    }
  }

  @Test
  void clipLayoutIsInferredFromTransformersJsFiles() throws Exception {
    ModelManifest clip = ModelManifest.load(TinyClip.assemble(dir));
    assertThat(clip.family()).isEqualTo(ModelFamily.CLIP);
    assertThat(clip.pooling()).isEqualTo(Pooling.NONE);
    assertThat(clip.maxTokens()).isEqualTo(77);
    assertThat(clip.image().height()).isEqualTo(224);
    assertThat(clip.provenance()).contains("tokenizer_config.json", "preprocessor_config.json");
  }

  @Test
  void missingPoolingIsAnErrorThatSaysWhatToAdd() throws Exception {
    Files.write(dir.resolve("model.onnx"), new byte[] {1});
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    assertThatThrownBy(() -> ModelManifest.load(ModelLocation.parse(dir.toString())))
        .hasMessageContaining("pooling").hasMessageContaining(ModelManifest.FILE);
  }

  @Test
  void aManifestThatContradictsTheGraphIsRefused() throws Exception {
    ModelLocation bundled = ModelLocation.bundled("all-minilm-l6-v2-q");
    Files.write(dir.resolve("model.onnx"), bundled.readFile("model.onnx"));
    Files.write(dir.resolve("tokenizer.json"), bundled.readFile("tokenizer.json"));
    Files.writeString(dir.resolve(ModelManifest.FILE),
        "{\"family\": \"text\", \"pooling\": \"mean\", \"max_tokens\": 256, \"dimension\": 768}");
    assertThatThrownBy(() -> EmbeddingModel.load(ModelSpec.cpu(ModelLocation.parse(dir.toString()))))
        .hasMessageContaining("768").hasMessageContaining("384");
  }
}

package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pagebeam.transforms.model.TinyClip;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start writes vectors; reruns are stable; misconfiguration stops the job before it reads a PDF. */
class VectorsIngestTest {
  @TempDir Path out;

  @Test
  void quickStartWritesOneVectorPerChunkWithItsMetadata() throws Exception {
    IngestRun run = IngestRun.ingest(out);
    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.summary.get("dimension").asInt()).isEqualTo(384);
    assertThat(run.summary.get("model").asText()).isEqualTo("bge-small-en-v1.5-q");
    assertThat(run.summary.get("device").asText())
        .isEqualTo(dev.pagebeam.transforms.model.CudaLibraries.missing().isEmpty() ? "cuda:0" : "cpu");
    assertThat(run.count("truncated_chunks")).isZero();
    assertThat(run.count("model_loads")).isEqualTo(1);
    // with the text model and OCR, every image is embedded by its text or counted as without text
    assertThat(run.count("images_without_encoder")).isZero();
    long imagesWithText = run.count("embedded_images") - run.count("images_without_text");
    assertThat(imagesWithText).isEqualTo(3);
    assertThat(run.count("vectors_written")).isEqualTo(run.count("text_chunks") + imagesWithText);
    List<JsonNode> vectors = run.vectors();
    assertThat(vectors).hasSize((int) run.count("vectors_written"));
    for (JsonNode v : vectors) {
      assertThat(v.get("id").asText()).hasSize(32);
      assertThat(v.get("document_id").asText()).hasSize(64);
      assertThat(v.get("type").asText()).isIn("text_chunk", "embedded_image");
      assertThat(v.get("source").asText()).endsWith(".pdf");
      assertThat(v.get("page").asInt()).isPositive();
      assertThat(v.get("text").asText()).isNotBlank();
      assertThat(v.get("text_source").asText()).isIn("text_layer", "ocr");
      if (v.get("type").asText().equals("text_chunk")) {
        assertThat(v.get("ref").asText()).contains("#page=");
      } else {
        // image files are sharded by the first two hex digits of their name: images/1e/1e7c....png
        Path image = Path.of(v.get("ref").asText());
        assertThat(image).isRegularFile()
            .hasParent(out.resolve("images").resolve(image.getFileName().toString().substring(0, 2)));
      }
      // every record can show its page
      assertThat(Path.of(v.get("thumbnail").asText())).isRegularFile();
      assertThat(v.get("model").asText()).isEqualTo("bge-small-en-v1.5-q");
      assertThat(v.get("vector")).hasSize(384);
      double norm = 0;
      for (JsonNode x : v.get("vector")) {
        norm += x.asDouble() * x.asDouble();
      }
      assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
    assertThat(out.resolve("vectors/_collection.json")).content().contains("\"dimension\" : 384");

    // a full rerun into the same output encodes everything again and gives the same ids and vectors
    IngestRun again = IngestRun.ingest(out, "--full=true");
    assertThat(again.exitCode).isZero();
    Map<String, JsonNode> first = vectors.stream().collect(Collectors.toMap(v -> v.get("id").asText(), Function.identity()));
    List<JsonNode> second = again.vectors();
    assertThat(second).hasSize(first.size());
    for (JsonNode v : second) {
      JsonNode before = first.get(v.get("id").asText());
      assertThat(before).isNotNull();
      assertThat(before.get("content_hash")).isEqualTo(v.get("content_hash"));
    }

    // the file sink answers queries by exact search, with the model recorded in the output
    IngestRun query = IngestRun.command(out, "query", "--output=" + out,
        "--text=How do I correct drift in a pressure tide gauge?", "--k=2");
    assertThat(query.exitCode).as(query.stderr).isZero();
    assertThat(query.stdout).contains("model bge-small-en-v1.5-q").contains("file:" + out);
    assertThat(query.stdout.lines().filter(l -> l.startsWith(" 1.")).findFirst().orElseThrow())
        .contains("tide-gauge-research-note.pdf").contains("page 1");
    assertThat(query.stdout.lines().filter(l -> l.matches(" ?\\d+\\. .*"))).hasSize(2);
  }

  @Test
  void anOutputHoldingAnotherModelsVectorsIsRefusedBeforeAnyPdfIsRead() throws Exception {
    assertThat(IngestRun.ingest(out, "--writeImages=false").exitCode).isZero();
    IngestRun other = IngestRun.ingest(out, "--model=all-minilm-l6-v2", "--writeImages=false");
    assertThat(other.exitCode).isEqualTo(2);
    assertThat(other.summary).isNull();
    assertThat(other.stderr).contains("bge-small-en-v1.5-q").contains("all-minilm-l6-v2").contains("--recreate")
        .contains("new collection");
    IngestRun clip = IngestRun.ingest(out, "--model=" + TinyClip.assemble(out.resolveSibling(out.getFileName() + "-clip"))
        .describe(), "--maxTokens=77", "--overlapTokens=8", "--writeImages=false");
    assertThat(clip.exitCode).isEqualTo(2);
    assertThat(clip.stderr).contains("384-dimension").contains("64-dimension").contains("--recreate");
    IngestRun recreated = IngestRun.ingest(out, "--model=all-minilm-l6-v2", "--writeImages=false", "--recreate=true");
    assertThat(recreated.exitCode).as(recreated.stderr).isZero();
    assertThat(recreated.vectors()).allSatisfy(v -> assertThat(v.get("model").asText()).isEqualTo("all-minilm-l6-v2"));
  }

  @Test
  void clipModelPutsTextAndImagesOfOnePdfIntoOneOutputWithOneDimension(@TempDir Path models) throws Exception {
    String clip = TinyClip.assemble(models.resolve("tiny-clip")).describe();
    IngestRun tooLong = IngestRun.ingest(out, "--model=" + clip);
    assertThat(tooLong.exitCode).isEqualTo(2);
    assertThat(tooLong.stderr).contains("--maxTokens=256").contains("77 tokens").contains("--maxTokens=77");

    IngestRun run = IngestRun.ingest(out, "--model=" + clip, "--maxTokens=77", "--overlapTokens=8",
        "--input=" + Corpus.home().resolve("samples/lighthouse-sync-admin-guide.pdf"));
    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.summary.get("dimension").asInt()).isEqualTo(TinyClip.DIMENSION);
    assertThat(run.count("images_without_encoder")).isZero();
    long images = run.count("page_images") + run.count("embedded_images");
    // the screenshot's OCR text is a text record of its own beside its pixels' vector
    long imageTexts = run.count("embedded_images") - run.count("images_without_text");
    assertThat(imageTexts).isEqualTo(1);
    assertThat(run.count("vectors_written")).isEqualTo(run.count("text_chunks") + images + imageTexts);
    List<JsonNode> vectors = run.vectors();
    Set<String> types = vectors.stream().map(v -> v.get("type").asText()).collect(Collectors.toSet());
    assertThat(types).containsExactlyInAnyOrder("text_chunk", "page_image", "embedded_image");
    assertThat(vectors).allSatisfy(v -> assertThat(v.get("vector")).hasSize(TinyClip.DIMENSION));
    assertThat(vectors.stream().map(v -> v.get("document_id").asText()).distinct()).hasSize(1);
    assertThat(vectors).filteredOn(v -> !v.get("type").asText().equals("text_chunk"))
        .allSatisfy(v -> assertThat(Path.of(v.get("ref").asText())).isRegularFile());
  }

  @Test
  void cudaRunsWhereItLoadsAndElseStopsTheJobBeforeItStarts() throws Exception {
    IngestRun run = IngestRun.ingest(out, "--device=cuda");
    if (dev.pagebeam.transforms.model.CudaLibraries.missing().isEmpty()) {
      // a host with CUDA 12 and cuDNN 9: the run happens there
      assertThat(run.exitCode).as(run.stderr).isZero();
      assertThat(run.summary.get("device").asText()).isEqualTo("cuda:0");
      return;
    }
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.summary).isNull();
    assertThat(run.stderr).contains("libcublasLt.so.12").contains("--device=cpu");
    assertThat(out.resolve("vectors")).doesNotExist();
  }
}

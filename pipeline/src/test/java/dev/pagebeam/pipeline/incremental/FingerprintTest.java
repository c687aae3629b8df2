package dev.pagebeam.pipeline.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.ocr.OcrSettings;
import dev.pagebeam.transforms.split.SplitSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's settings fingerprint: what changes a document's records re-ingests it, what only
 * changes how the run goes (limits, task sizes, where the model folder lies) does not.
 */
class FingerprintTest {
  static final SplitSettings BASE = SplitSettings.defaults();

  static String of(SplitSettings s) {
    return Incremental.fingerprint("bge-small-en-v1.5-q", s, "/out", false);
  }

  @TempDir Path movedModel;

  @Test
  void limitsTaskSizesAndTheModelsFolderLeaveItAlone() {
    String base = of(BASE);
    assertThat(of(BASE.withLimits(4096, 7200))).as("memory and time limits").isEqualTo(base);
    assertThat(of(BASE.withPagesPerTask(7))).as("pages per task").isEqualTo(base);
    assertThat(of(BASE.withTokenizerModel(ModelLocation.parse(movedModel.toString()))))
        .as("the model's folder").isEqualTo(base);
    assertThat(of(BASE.withOcr(OcrSettings.defaults().withSecondsPerImage(99).withPagesPerTask(2))))
        .as("OCR's time limit and task size").isEqualTo(base);
    assertThat(Incremental.fingerprint("bge-small-en-v1.5-q", BASE, "/elsewhere", false))
        .as("the output, when no image files are written").isEqualTo(base);
  }

  @Test
  void whatShapesTheRecordsChangesIt() {
    String base = of(BASE);
    assertThat(of(BASE.withChunking(128, 0))).isNotEqualTo(base);
    assertThat(of(BASE.withPageImages(false, 224))).isNotEqualTo(base);
    assertThat(of(BASE.withEmbeddedImages(true, 32, 1024))).isNotEqualTo(base);
    assertThat(of(BASE.withOcr(OcrSettings.off()))).isNotEqualTo(base);
    assertThat(of(BASE.withOcr(OcrSettings.defaults().withPageDpi(200)))).isNotEqualTo(base);
    assertThat(Incremental.fingerprint("all-minilm-l6-v2-q", BASE, "/out", false)).as("the model").isNotEqualTo(base);
    assertThat(Incremental.fingerprint("bge-small-en-v1.5-q", BASE, "/elsewhere", true))
        .as("where image files are written, when they are").isNotEqualTo(Incremental.fingerprint(
            "bge-small-en-v1.5-q", BASE, "/out", true));
  }
}

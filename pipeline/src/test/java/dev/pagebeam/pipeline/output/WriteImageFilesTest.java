package dev.pagebeam.pipeline.output;

import dev.pagebeam.pipeline.BlockingDirectRunner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.elements.EncodedImage;
import dev.pagebeam.transforms.elements.PdfElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Image files beside the vectors: one the file system refuses is a dead letter, not the end of the run. */
class WriteImageFilesTest {
  @RegisterExtension
  static final TestPipelineExtension PIPELINE = BlockingDirectRunner.extension();
  static final List<DeadLetter> FAILED = new CopyOnWriteArrayList<>();

  @TempDir Path dir;

  /** Keeps the dead letters where the test can see them (the DirectRunner runs in this JVM). */
  static final class Keep extends DoFn<DeadLetter, Void> {
    @ProcessElement
    public void keep(@Element DeadLetter d) {
      FAILED.add(d);
    }
  }

  static PdfElement page(int page, byte[] bytes) {
    return PdfElement.pageImage("d".repeat(64), "/corpus/manual.pdf", page, 9, new EncodedImage(bytes, "png", 8, 8),
        224, true, false);
  }

  @Test
  void anImageTheFileSystemRefusesIsADeadLetterOfItsFileWhileTheOthersAreWritten(TestPipeline p) throws Exception {
    PdfElement refused = page(3, new byte[] {1, 2, 3});
    PdfElement written = page(4, new byte[] {4, 5, 6});
    assertThat(Json.imageFileName(refused).split("/")[1]).isNotEqualTo(Json.imageFileName(written).split("/")[1]);
    // a plain file where the refused image's folder would be: creating the image fails every time
    Path folder = dir.resolve(Json.imageFileName(refused)).getParent();
    Files.createDirectories(folder.getParent());
    Files.writeString(folder, "not a folder");

    FAILED.clear();
    p.apply(Create.of(refused, written).withCoder(PdfElement.ElementCoder.of()))
        .apply(new WriteImageFiles(dir.toString()))
        .apply(ParDo.of(new Keep()));
    p.run().waitUntilFinish();

    assertThat(FAILED).singleElement().satisfies(d -> {
      assertThat(d.getFile()).isEqualTo("/corpus/manual.pdf");
      assertThat(d.getStage()).isEqualTo(DeadLetter.STAGE_WRITE_IMAGE);
      assertThat(d.getErrorKind()).isEqualTo(ErrorKind.IO_ERROR);
      assertThat(d.getPage()).isEqualTo(3);
      assertThat(d.getMessage()).contains("could not be written (3 tries)");
    });
    assertThat(Files.readAllBytes(dir.resolve(Json.imageFileName(written)))).containsExactly(4, 5, 6);
  }
}

package dev.pagebeam.pipeline.output;

import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.elements.PdfElement;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes each image element to OUTPUT/images/ab/ID.png on any Beam file system (idempotent by id).
 * An image that cannot be written after {@link #ATTEMPTS} tries (a file system that refuses it) is
 * a dead letter of its file, not the end of the run; its vector is still written.
 */
public final class WriteImageFiles extends PTransform<PCollection<PdfElement>, PCollection<DeadLetter>> {
  static final int ATTEMPTS = 3;
  private static final long FIRST_BACKOFF_MILLIS = 200;
  private final String outputDir;

  public WriteImageFiles(String outputDir) {
    this.outputDir = outputDir;
  }

  /** The images that could not be written. */
  @Override
  public PCollection<DeadLetter> expand(PCollection<PdfElement> elements) {
    return elements.apply("WriteImage", ParDo.of(new WriteFn(outputDir))).setCoder(DeadLetter.CODER);
  }

  private static final class WriteFn extends DoFn<PdfElement, DeadLetter> {
    private final String outputDir;

    WriteFn(String outputDir) {
      this.outputDir = outputDir;
    }

    @ProcessElement
    public void process(@Element PdfElement e, OutputReceiver<DeadLetter> failed) throws InterruptedException {
      if (!e.getType().isImage() || e.getImageBytes() == null) {
        return;
      }
      ResourceId file = FileSystems.matchNewResource(outputDir, true);
      String[] parts = Json.imageFileName(e).split("/");
      for (int i = 0; i < parts.length - 1; i++) {
        file = file.resolve(parts[i], StandardResolveOptions.RESOLVE_DIRECTORY);
      }
      file = file.resolve(parts[parts.length - 1], StandardResolveOptions.RESOLVE_FILE);
      IOException last = null;
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          write(file, e);
          return;
        } catch (IOException failure) {
          last = failure;
          if (attempt < ATTEMPTS) {
            Thread.sleep(FIRST_BACKOFF_MILLIS << (attempt - 1));
          }
        }
      }
      failed.output(DeadLetter.forElement(e.getSource(), e.getDocumentId(), DeadLetter.STAGE_WRITE_IMAGE,
          ErrorKind.IO_ERROR, "the image file " + file + " could not be written (" + ATTEMPTS + " tries): " + last,
          e.getPage(), e.getType().label() + " " + e.getId()));
    }

    private static void write(ResourceId file, PdfElement e) throws IOException {
      try (WritableByteChannel out = FileSystems.create(file, "image/" + e.getImageFormat())) {
        ByteBuffer buffer = ByteBuffer.wrap(e.getImageBytes());
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
    }
  }
}

package dev.pagebeam.pipeline.output;

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
import org.apache.beam.sdk.values.PDone;

/** Writes each image element to OUTPUT/images/ab/ID.png on any Beam file system (idempotent by id). */
public final class WriteImageFiles extends PTransform<PCollection<PdfElement>, PDone> {
  private final String outputDir;

  public WriteImageFiles(String outputDir) {
    this.outputDir = outputDir;
  }

  @Override
  public PDone expand(PCollection<PdfElement> elements) {
    elements.apply("WriteImage", ParDo.of(new WriteFn(outputDir)));
    return PDone.in(elements.getPipeline());
  }

  private static final class WriteFn extends DoFn<PdfElement, Void> {
    private final String outputDir;

    WriteFn(String outputDir) {
      this.outputDir = outputDir;
    }

    @ProcessElement
    public void process(@Element PdfElement e) throws IOException {
      if (!e.getType().isImage() || e.getImageBytes() == null) {
        return;
      }
      ResourceId file = FileSystems.matchNewResource(outputDir, true);
      String[] parts = Json.imageFileName(e).split("/");
      for (int i = 0; i < parts.length - 1; i++) {
        file = file.resolve(parts[i], StandardResolveOptions.RESOLVE_DIRECTORY);
      }
      file = file.resolve(parts[parts.length - 1], StandardResolveOptions.RESOLVE_FILE);
      try (WritableByteChannel out = FileSystems.create(file, "image/" + e.getImageFormat())) {
        ByteBuffer buffer = ByteBuffer.wrap(e.getImageBytes());
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
    }
  }
}

package dev.pagebeam.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.transforms.split.SplitSettings;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** Page thumbnails are rendered only where something uses them. */
class UnusedThumbnailsTest {
  static boolean rendered(boolean modelEncodesImages, String... args) {
    PagebeamOptions o = PipelineOptionsFactory.fromArgs(args).as(PagebeamOptions.class);
    SplitSettings split = IngestConfig.splitSettings(o);
    return IngestConfig.withoutUnusedThumbnails(split, o, modelEncodesImages).pageImages();
  }

  @Test
  void nothingUsesThemWithoutImageFilesElementLinesOrAnImageModel() {
    assertThat(rendered(false, "--writeImages=false")).as("a text model finds pages by their text").isFalse();
    assertThat(rendered(false, "--writeImages=false", "--encode=false")).isFalse();
  }

  @Test
  void theyAreRenderedWhereTheyAreWrittenOrEncoded() {
    assertThat(rendered(false)).as("the default writes image files").isTrue();
    assertThat(rendered(false, "--writeImages=false", "--writeElements=true")).isTrue();
    assertThat(rendered(true, "--writeImages=false")).as("an image model encodes them").isTrue();
    assertThat(rendered(true, "--pageImages=false")).as("asked off").isFalse();
  }
}

package dev.pagebeam.transforms.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pagebeam's CLIP preprocessing against Hugging Face's CLIPImageProcessor on six kinds of image
 * (fixtures made by scripts/fixtures/make_clip_preprocess_fixtures.py).
 */
class ImagePreprocessingTest {
  @ParameterizedTest
  @ValueSource(strings = {"photo", "screenshot", "tall-page", "tiny-icon", "grayscale", "transparent"})
  void matchesClipImageProcessor(String name) throws Exception {
    ImagePreprocessing preprocessing = fixturePreprocessing();
    BufferedImage image = fixture(name);
    float[] expected = new float[3 * 224 * 224];
    try (DataInputStream in = new DataInputStream(
        new GZIPInputStream(getClass().getResourceAsStream("/fixtures/clip/" + name + ".f32.gz")))) {
      byte[] raw = in.readAllBytes();
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
    }
    float[] actual = preprocessing.apply(image);
    assertThat(actual).hasSize(expected.length);
    double max = 0;
    double sum = 0;
    for (int i = 0; i < actual.length; i++) {
      double d = Math.abs(actual[i] - expected[i]);
      max = Math.max(max, d);
      sum += d;
    }
    double mean = sum / actual.length;
    System.out.printf("%-12s max abs %.5f, mean abs %.6f%n", name, max, mean);
    assertThat(max).as("max abs difference").isLessThanOrEqualTo(0.02);
    assertThat(mean).as("mean abs difference").isLessThanOrEqualTo(0.002);
  }

  @ParameterizedTest
  @ValueSource(strings = {"photo", "screenshot", "tall-page", "tiny-icon", "grayscale", "transparent"})
  void aReducedImageGivesExactlyTheSameModelInput(String name) throws Exception {
    ImagePreprocessing preprocessing = fixturePreprocessing();
    BufferedImage image = fixture(name);
    BufferedImage reduced = preprocessing.reduce(image);
    assertThat(Math.min(reduced.getWidth(), reduced.getHeight()))
        .isEqualTo(Math.min(224, Math.min(image.getWidth(), image.getHeight()) > 224 ? 224
            : Math.min(image.getWidth(), image.getHeight())));
    // through a PNG, as it travels
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    ImageIO.write(reduced, "png", png);
    BufferedImage travelled = ImageIO.read(new java.io.ByteArrayInputStream(png.toByteArray()));
    assertThat(preprocessing.apply(travelled)).containsExactly(preprocessing.apply(image));
  }

  private ImagePreprocessing fixturePreprocessing() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/clip/preprocessor_config.json")) {
      return ImagePreprocessing.fromHuggingFace(new ObjectMapper().readTree(in));
    }
  }

  private BufferedImage fixture(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/clip/" + name + ".png")) {
      return ImageIO.read(in);
    }
  }
}

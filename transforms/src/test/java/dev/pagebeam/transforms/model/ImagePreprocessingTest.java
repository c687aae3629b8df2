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
    ImagePreprocessing preprocessing;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/clip/preprocessor_config.json")) {
      preprocessing = ImagePreprocessing.fromHuggingFace(new ObjectMapper().readTree(in));
    }
    BufferedImage image;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/clip/" + name + ".png")) {
      image = ImageIO.read(in);
    }
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
}

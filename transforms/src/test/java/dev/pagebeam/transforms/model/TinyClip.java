package dev.pagebeam.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Assembles the generated CLIP-shaped test model (scripts/fixtures/make_tiny_clip.py) in a directory. */
public final class TinyClip {
  public static final int DIMENSION = 64;
  private static final List<String> FILES = List.of(
      "text_model.onnx", "vision_model.onnx", "config.json", "tokenizer_config.json", "preprocessor_config.json");

  private TinyClip() {}

  /** Writes the model into {@code dir} (with the bundled BERT tokenizer.json) and returns its location. */
  public static ModelLocation assemble(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String file : FILES) {
      try (InputStream in = TinyClip.class.getResourceAsStream("/models/tiny-clip/" + file)) {
        Files.copy(in, dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.write(dir.resolve("tokenizer.json"), ModelLocation.bundled(ModelLocation.DEFAULT_MODEL).readFile("tokenizer.json"));
    return ModelLocation.parse(dir.toString());
  }
}

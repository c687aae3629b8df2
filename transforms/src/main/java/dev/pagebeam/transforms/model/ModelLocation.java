package dev.pagebeam.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a model's files live: a model bundled in the jar (by name) or a directory.
 *
 * <p>Bundled models travel inside the job jar, so they resolve the same on a workstation and on
 * every Flink TaskManager; a directory must exist on every worker.
 */
public final class ModelLocation implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The default model: quantized bge-small-en-v1.5. */
  public static final String DEFAULT_MODEL = "bge-small-en-v1.5-q";

  /** Names of the models bundled in the jar. */
  public static final List<String> BUNDLED = List.of("bge-small-en-v1.5-q", "all-minilm-l6-v2", "all-minilm-l6-v2-q");

  private static final String RESOURCE_ROOT = "pagebeam/models/";

  private final String bundledName;
  private final String directory;

  private ModelLocation(String bundledName, String directory) {
    this.bundledName = bundledName;
    this.directory = directory;
  }

  /** Resolves a bundled model name or a model directory; fails with what to do otherwise. */
  public static ModelLocation parse(String nameOrDirectory) {
    Objects.requireNonNull(nameOrDirectory, "model");
    if (BUNDLED.contains(nameOrDirectory)) {
      return bundled(nameOrDirectory);
    }
    Path dir = Path.of(nameOrDirectory);
    if (Files.isDirectory(dir)) {
      return new ModelLocation(null, dir.toAbsolutePath().normalize().toString());
    }
    throw new IllegalArgumentException(
        "--model=" + nameOrDirectory + " is neither a bundled model (" + String.join(", ", BUNDLED)
            + ") nor a directory. Pass one of those names, or a directory holding the ONNX graph(s) and tokenizer.json.");
  }

  public static ModelLocation bundled(String name) {
    if (!BUNDLED.contains(name)) {
      throw new IllegalArgumentException("no bundled model named '" + name + "'; bundled: " + BUNDLED);
    }
    return new ModelLocation(name, null);
  }

  public boolean isBundled() {
    return bundledName != null;
  }

  /** The bundled name, or the directory's name. */
  public String name() {
    return isBundled() ? bundledName : Path.of(directory).getFileName().toString();
  }

  /** What the user passed, normalised: the bundled name or the absolute directory. */
  public String describe() {
    return isBundled() ? bundledName : directory;
  }

  /** The directory of a directory model, or null for a bundled one. */
  public Path directory() {
    return directory == null ? null : Path.of(directory);
  }

  public boolean hasFile(String fileName) {
    if (isBundled()) {
      return getClass().getClassLoader().getResource(RESOURCE_ROOT + bundledName + "/" + fileName) != null;
    }
    return Files.isRegularFile(Path.of(directory, fileName));
  }

  /** Opens one of the model's files; the caller closes the stream. */
  public InputStream open(String fileName) throws IOException {
    if (isBundled()) {
      String resource = RESOURCE_ROOT + bundledName + "/" + fileName;
      InputStream in = getClass().getClassLoader().getResourceAsStream(resource);
      if (in == null) {
        throw new NoSuchFileException(
            resource + " is missing from the classpath: the bundled models are unpacked at build time;"
                + " rebuild with 'mvn -DskipTests package'");
      }
      return in;
    }
    return Files.newInputStream(Path.of(directory, fileName));
  }

  public byte[] readFile(String fileName) throws IOException {
    try (InputStream in = open(fileName)) {
      return in.readAllBytes();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelLocation && describe().equals(((ModelLocation) o).describe());
  }

  @Override
  public int hashCode() {
    return describe().hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}

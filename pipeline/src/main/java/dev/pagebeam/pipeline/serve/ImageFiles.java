package dev.pagebeam.pipeline.serve;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page thumbnails and embedded images that ingest wrote under its output folder, served at
 * {@code /images/ab/ID.png}. Only names ingest writes are served: no path reaches outside the folder.
 */
final class ImageFiles {
  private static final Pattern IMAGE_PATH = Pattern.compile("(?:^|.*/)images/([0-9a-f]{2})/([0-9a-f]{32}\\.(?:png|jpg))$");

  private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");
  private static final Pattern FILE = Pattern.compile("[0-9a-f]{32}\\.(?:png|jpg)");

  private final Path images;

  ImageFiles(Path output) {
    this.images = output.resolve("images");
  }

  /** The URL of an image file as a record names it (wherever ingest ran), or null. */
  static String url(String file) {
    if (file == null) {
      return null;
    }
    Matcher m = IMAGE_PATH.matcher(file);
    return m.matches() ? "/images/" + m.group(1) + "/" + m.group(2) : null;
  }

  void handle(Context ctx) throws IOException {
    String shard = ctx.pathParam("shard");
    String file = ctx.pathParam("file");
    if (!SHARD.matcher(shard).matches() || !FILE.matcher(file).matches() || !file.startsWith(shard)) {
      throw new ApiError(404, "not_found", "no image " + shard + "/" + file);
    }
    Path path = images.resolve(shard).resolve(file).normalize();
    if (!path.startsWith(images.normalize()) || !Files.isRegularFile(path)) {
      throw new ApiError(404, "not_found", "image " + shard + "/" + file + " is not in the images folder of"
          + " --output: serve with the --output that ingest wrote to");
    }
    ctx.header("Cache-Control", "max-age=3600");
    ctx.contentType(file.endsWith(".png") ? "image/png" : "image/jpeg").result(Files.readAllBytes(path));
  }
}

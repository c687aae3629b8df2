package dev.pagebeam.pipeline.cli;

import dev.pagebeam.pipeline.search.SearchMode;
import dev.pagebeam.pipeline.search.QueryShape;
import dev.pagebeam.io.store.Fusion;
import dev.pagebeam.pipeline.search.Searcher;

import dev.pagebeam.pipeline.options.ModelSpecs;
import dev.pagebeam.pipeline.sink.Sinks;
import dev.pagebeam.pipeline.options.QueryOptions;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.store.CollectionState;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelLocation;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * {@code pagebeam query}: embeds a query with the collection's own model (and its query prefix) and
 * prints the nearest records. Works on the file sink (exact search), Chroma and Milvus.
 */
final class QueryCommand {
  private QueryCommand() {}

  static void run(QueryOptions o, boolean modelGiven, PrintStream out) throws Exception {
    if (o.getText().isBlank() && o.getImage().isBlank()) {
      throw new IllegalArgumentException("give --text=\"...\" or --image=FILE");
    }
    if (o.getK() < 1) {
      throw new IllegalArgumentException("--k=" + o.getK() + " must be at least 1");
    }
    Fusion fusion = Searcher.fusion(o);
    try (Searcher searcher = Searcher.open(o, modelGiven)) {
      SearchMode mode = o.getImage().isBlank() ? SearchMode.of(o.getMode(), searcher.store()) : SearchMode.dense(o.getMode(), "--image");
      List<SearchHit> hits = o.getImage().isBlank() ? searcher.search(o.getText(), o.getK(), mode, fusion)
          : searcher.store().search(embed(searcher.model(), o), o.getK());
      String how = mode.label();
      if (mode == SearchMode.HYBRID || mode == SearchMode.AUTO) {
        how += ", " + Searcher.fusionFor(mode, o.getText(), fusion).describe(o.getK());
        String lean = QueryShape.of(o.getText()).reason();
        how += mode == SearchMode.AUTO && lean != null ? ", leaning lexical: " + lean : "";
      }
      out.printf("query %s%s (model %s, %s, %s)%n", o.getText().isBlank() ? "" : "\"" + o.getText() + "\"",
          o.getImage().isBlank() ? "" : " image " + o.getImage(), searcher.modelId(), searcher.describeTarget(),
          how);
      int rank = 1;
      for (SearchHit h : hits) {
        // an image hit shows its file, then its caption and OCR text (the text it was embedded by)
        boolean image = h.type().endsWith("_image");
        out.printf(Locale.ROOT, "%2d. %.4f  %-14s %s  page %d  %s%s%n", rank++, h.score(), h.type(), h.source(),
            h.page(), image ? "image " + h.ref() + "  " : "", h.preview());
      }
      if (hits.isEmpty()) {
        out.println("no results");
      }
    }
  }

  private static float[] embed(EmbeddingModel model, QueryOptions o) throws Exception {
    float[] text = o.getText().isBlank() ? null : model.embedTexts(List.of(o.getText()), true).vectors[0];
    if (o.getImage().isBlank()) {
      return text;
    }
    if (!model.manifest().encodesImages()) {
      throw new IllegalArgumentException("model " + model.manifest().id() + " encodes text only: --image needs a"
          + " CLIP-family model");
    }
    BufferedImage image = ImageIO.read(new File(o.getImage()));
    if (image == null) {
      throw new IllegalArgumentException("--image=" + o.getImage() + " is not an image this JVM can read");
    }
    float[] picture = model.embedImages(List.of(model.manifest().image().apply(image)))[0];
    if (text == null) {
      return picture;
    }
    float[] both = new float[picture.length];
    double norm = 0;
    for (int i = 0; i < both.length; i++) {
      both[i] = text[i] + picture[i];
      norm += both[i] * both[i];
    }
    for (int i = 0; i < both.length; i++) {
      both[i] /= (float) Math.sqrt(norm);
    }
    return both;
  }
}

package dev.pagebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code pagebeam query}, besides the sink and model options of ingest. */
public interface QueryOptions extends PagebeamOptions {

  @Description("The query text; embedded with the model's query prefix.")
  @Default.String("")
  String getText();

  void setText(String value);

  @Description("An image file to search with (CLIP-family models); with --text, the two are combined.")
  @Default.String("")
  String getImage();

  void setImage(String value);

  @Description("How results are found: dense (the model's vectors), lexical (BM25 over the texts; the file sink and"
      + " Milvus), hybrid (both, fused by --fusion; on Chroma, BM25 ranks the 100 nearest records), or auto: hybrid,"
      + " leaning to the words (dense weight at most 0.3) for a quoted phrase, an identifier, a number or a copied"
      + " sentence; dense where the sink has no hybrid search. eval also takes all: every mode side by side.")
  @Default.String("auto")
  String getMode();

  void setMode(String value);

  @Description("How hybrid search fuses the dense and the lexical ranking: convex (min-max normalised scores,"
      + " weighted by --hybridWeight), zscore (z-scores, weighted) or rrf (reciprocal rank, K = 60, weighted).")
  @Default.String("convex")
  String getFusion();

  void setFusion(String value);

  @Description("The dense ranking's weight in hybrid search, from 0 (lexical only) to 1 (dense only); tune it with"
      + " eval --mode=all on your own questions.")
  @Default.Double(0.5)
  double getHybridWeight();

  void setHybridWeight(double value);

  @Description("Results of each ranking hybrid search fuses; 0 means 100 (or k when larger).")
  @Default.Integer(0)
  int getFusionDepth();

  void setFusionDepth(int value);

  @Description("How many results to print.")
  @Default.Integer(5)
  int getK();

  void setK(int value);
}

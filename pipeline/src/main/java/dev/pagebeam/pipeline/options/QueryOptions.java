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
      + " Milvus), hybrid (both, fused by reciprocal rank; on Chroma, the 100 nearest re-ranked by BM25), or auto:"
      + " hybrid where the sink has it, else dense.")
  @Default.String("auto")
  String getMode();

  void setMode(String value);

  @Description("How many results to print.")
  @Default.Integer(5)
  int getK();

  void setK(int value);
}

package dev.pagebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code pagebeam eval}, besides --sink, --model, --k and the sink options of query. */
public interface EvalOptions extends QueryOptions {
  @Description("The questions: a TSV file of lines FILE.pdf<TAB>PAGES<TAB>QUESTION, PAGES the relevant page"
      + " numbers (3, or 3,4, or 3-5); lines starting with # are comments.")
  @Default.String("")
  String getQueries();

  void setQueries(String value);

  @Description("Print the figures as one JSON line instead of the table.")
  @Default.Boolean(false)
  boolean getJson();

  void setJson(boolean value);
}

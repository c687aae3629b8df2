package dev.pagebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code pagebeam reindex}, besides every option of ingest. */
public interface ReindexOptions extends PagebeamOptions {
  @Description("How many earlier versions of the collection to keep after the switch (NAME_vN beside NAME); older"
      + " ones are dropped.")
  @Default.Integer(1)
  int getKeep();

  void setKeep(int value);

  @Description("A file of checks the new version must pass before the switch: one per line, a query, a tab, and"
      + " the file name of a PDF that must be among its top 3 results.")
  @Default.String("")
  String getValidate();

  void setValidate(String value);
}

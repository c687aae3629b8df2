package dev.pagebeam.pipeline.options;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code pagebeam milvus-import}, besides --sink and the Milvus options of ingest. */
public interface MilvusImportOptions extends PagebeamOptions {
  @Description("The bulk files to import, comma-separated, as paths in the Milvus server's object storage (its"
      + " MinIO or S3 bucket), where they were copied from --milvusBulk's directory.")
  List<String> getFiles();

  void setFiles(List<String> value);

  @Description("How long to wait for the import tasks to finish; they go on on the server after that.")
  @Default.Integer(3600)
  int getImportTimeoutSeconds();

  void setImportTimeoutSeconds(int value);
}

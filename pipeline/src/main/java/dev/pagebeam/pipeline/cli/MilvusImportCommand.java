package dev.pagebeam.pipeline.cli;

import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.milvus.MilvusBulkFiles;
import dev.pagebeam.io.milvus.MilvusBulkImport;
import dev.pagebeam.io.milvus.MilvusConnector;
import dev.pagebeam.pipeline.options.MilvusImportOptions;
import dev.pagebeam.pipeline.options.PagebeamOptions;
import dev.pagebeam.pipeline.sink.Sinks;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * {@code pagebeam milvus-import}: loads the bulk files of an {@code ingest --milvusBulk} run into
 * the collection with Milvus's import, and the line ingest prints about them.
 */
final class MilvusImportCommand {
  private MilvusImportCommand() {}

  static int run(MilvusImportOptions options, PrintStream out, PrintStream err) throws InterruptedException {
    SinkTarget target = Sinks.target(options);
    if (target.kind() != SinkTarget.Kind.MILVUS) {
      err.println("pagebeam milvus-import: --sink must be a milvus:// collection, not " + target);
      return PagebeamCli.USAGE;
    }
    List<String> files = new ArrayList<>();
    if (options.getFiles() != null) {
      options.getFiles().stream().map(String::trim).filter(f -> !f.isEmpty()).forEach(files::add);
    }
    try {
      long rows = MilvusBulkImport.run((MilvusConnector) Sinks.connector(target, options), files,
          options.getImportTimeoutSeconds(), out::println);
      out.println("pagebeam milvus-import: " + rows + " rows imported into " + target + " from " + files.size()
          + " files");
      return PagebeamCli.OK;
    } catch (MilvusBulkImport.ImportException e) {
      err.println("pagebeam milvus-import: " + e.getMessage());
      return files.isEmpty() ? PagebeamCli.USAGE : PagebeamCli.FAILED;
    }
  }

  /** After an ingest --milvusBulk run: where the vectors are, and how they reach the collection. */
  static String afterIngest(PagebeamOptions options) throws IOException {
    List<MatchResult.Metadata> files = MilvusBulkFiles.existingFiles(options.getMilvusBulk());
    long bytes = files.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
    return "pagebeam ingest: the vectors are in " + files.size() + " bulk files (" + (bytes >> 20) + " MB) under "
        + options.getMilvusBulk() + ", not yet in " + Sinks.target(options) + ": copy them into the Milvus"
        + " server's bucket and run pagebeam milvus-import --sink=" + Sinks.target(options)
        + " --files=PATH,... with their paths there (docs/sinks.md)";
  }
}

package dev.pagebeam.io.milvus;

import io.milvus.client.MilvusServiceClient;
import io.milvus.grpc.GetImportStateResponse;
import io.milvus.grpc.ImportResponse;
import io.milvus.grpc.ImportState;
import io.milvus.grpc.KeyValuePair;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.bulkinsert.BulkInsertParam;
import io.milvus.param.bulkinsert.GetBulkInsertStateParam;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Loads bulk-import files into a collection with Milvus's import (one task per Parquet file, as
 * Milvus takes them), and waits for every task. The files must already be where the server reads
 * them: paths in its object storage (MinIO or S3 bucket), not on this machine. The SDK's v2 client
 * has no import call; its v1 client has, over the same gRPC service.
 */
public final class MilvusBulkImport {
  private MilvusBulkImport() {}

  /** Why an import cannot run or did not finish; its message says what to do. */
  public static final class ImportException extends Exception {
    private static final long serialVersionUID = 1L;

    ImportException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Imports the files into the connector's collection and returns the rows imported.
   *
   * @param files paths in the Milvus server's storage, one Parquet file each
   * @param progress one line per task started and finished
   */
  public static long run(MilvusConnector connector, List<String> files, long timeoutSeconds, Consumer<String> progress)
      throws ImportException, InterruptedException {
    if (files.isEmpty()) {
      throw new ImportException("no files to import: give --files with the bulk files' paths in the Milvus server's"
          + " storage", null);
    }
    ConnectParam.Builder param = ConnectParam.newBuilder().withUri(connector.uri())
        .withDatabaseName(connector.database()).withConnectTimeout(5, TimeUnit.SECONDS)
        .withRpcDeadline(60, TimeUnit.SECONDS).withSecure(connector.tls());
    String token = connector.token().resolve();
    if (!token.isEmpty()) {
      param.withToken(token);
    }
    MilvusServiceClient client;
    try {
      client = new MilvusServiceClient(param.build());
    } catch (RuntimeException e) {
      throw new ImportException("cannot reach " + connector.describeTarget() + ": " + e.getMessage(), e);
    }
    try {
      List<Long> tasks = new ArrayList<>();
      for (String file : files) {
        R<ImportResponse> started = client.bulkInsert(BulkInsertParam.newBuilder()
            .withCollectionName(connector.collection()).addFile(file).build());
        if (started.getStatus() != R.Status.Success.getCode()) {
          throw refused(connector, file, started);
        }
        tasks.addAll(started.getData().getTasksList());
        progress.accept("import: " + file + " -> task " + started.getData().getTasksList());
      }
      long rows = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      for (long task : tasks) {
        while (true) {
          R<GetImportStateResponse> state = client.getBulkInsertState(
              GetBulkInsertStateParam.newBuilder().withTask(task).build());
          if (state.getStatus() != R.Status.Success.getCode()) {
            throw new ImportException("cannot read the state of import task " + task + ": " + state.getMessage(),
                state.getException());
          }
          ImportState s = state.getData().getState();
          if (s == ImportState.ImportCompleted) {
            rows += state.getData().getRowCount();
            progress.accept("import: task " + task + " completed, " + state.getData().getRowCount() + " rows");
            break;
          }
          if (s == ImportState.ImportFailed || s == ImportState.ImportFailedAndCleaned) {
            throw new ImportException("import task " + task + " failed: " + reason(state.getData())
                + ". The rows of the tasks before it are in the collection; fix the cause and import the rest.",
                null);
          }
          if (System.nanoTime() > deadline) {
            throw new ImportException("import task " + task + " still " + s + " after " + timeoutSeconds
                + " s; it goes on on the server: follow it there", null);
          }
          Thread.sleep(2_000);
        }
      }
      return rows;
    } finally {
      client.close();
    }
  }

  private static ImportException refused(MilvusConnector connector, String file, R<?> r) {
    // the SDK's gRPC is shaded: the status code is read from the message, as the SDK words it
    String message = String.valueOf(r.getMessage()) + " " + r.getException();
    if (message.contains("UNIMPLEMENTED")) {
      return new ImportException(connector.describeTarget() + " does not implement import (Milvus Lite does not;"
          + " a Milvus standalone or distributed server does). Import the files on such a server, or ingest"
          + " without --milvusBulk to upsert.", r.getException());
    }
    return new ImportException(connector.describeTarget() + " refused to import " + file + ": " + r.getMessage()
        + ". The path must be a file in the server's object storage (its MinIO or S3 bucket), as it names it.",
        r.getException());
  }

  private static String reason(GetImportStateResponse state) {
    for (KeyValuePair kv : state.getInfosList()) {
      if (kv.getKey().equals("failed_reason")) {
        return kv.getValue();
      }
    }
    return state.getInfosList().toString();
  }
}

package dev.pagebeam.pipeline.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.pagebeam.transforms.encode.EncodeSettings;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.ocr.OcrSettings;
import dev.pagebeam.transforms.split.SplitSettings;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Every option of the pagebeam jobs. The CLI help and the options table of docs/configuration.md are made
 * from these descriptions and defaults (a test keeps that page in step).
 */
public interface PagebeamOptions extends PipelineOptions {

  @Description("PDF files to read: paths or globs on any Beam file system, comma-separated. A directory "
      + "means every *.pdf below it.")
  @Default.InstanceFactory(SampleInputFactory.class)
  @Validation.Required
  List<String> getInput();

  void setInput(List<String> value);

  @Description("Output directory: vectors (JSON lines), image files, dead letters, and split elements if asked.")
  @Default.String("pagebeam-out")
  String getOutput();

  void setOutput(String value);

  @Description("Embedding model: a bundled name (bge-small-en-v1.5-q, all-minilm-l6-v2, all-minilm-l6-v2-q) "
      + "or a model directory. Its tokenizer sizes the text chunks.")
  @Default.String(ModelLocation.DEFAULT_MODEL)
  String getModel();

  void setModel(String value);

  @Description("Most tokens per text chunk, the model's special tokens included.")
  @Default.Integer(SplitSettings.DEFAULT_MAX_TOKENS)
  int getMaxTokens();

  void setMaxTokens(int value);

  @Description("Tokens shared by consecutive chunks of a page (at most half of --maxTokens).")
  @Default.Integer(SplitSettings.DEFAULT_OVERLAP_TOKENS)
  int getOverlapTokens();

  void setOverlapTokens(int value);

  @Description("Render a thumbnail of every page, where something uses it: image files (--writeImages),"
      + " element lines (--writeElements) or a model that encodes images.")
  @Default.Boolean(true)
  boolean getPageImages();

  void setPageImages(boolean value);

  @Description("Long side of page thumbnails in pixels; pages are rendered straight to this size.")
  @Default.Integer(SplitSettings.DEFAULT_THUMBNAIL_SIDE)
  int getThumbnailSize();

  void setThumbnailSize(int value);

  @Description("Extract the raster images drawn on pages (deduplicated per document).")
  @Default.Boolean(true)
  boolean getEmbeddedImages();

  void setEmbeddedImages(boolean value);

  @Description("Embedded images narrower or shorter than this many pixels are ignored.")
  @Default.Integer(SplitSettings.DEFAULT_MIN_IMAGE_SIZE)
  int getMinImageSize();

  void setMinImageSize(int value);

  @Description("Embedded images are stored downscaled to at most this long side in pixels.")
  @Default.Integer(SplitSettings.DEFAULT_MAX_IMAGE_SIDE)
  int getMaxImageSide();

  void setMaxImageSide(int value);

  @Description("Images declaring more pixels than this are never decoded; they become dead letters.")
  @Default.Long(SplitSettings.DEFAULT_MAX_IMAGE_PIXELS)
  long getMaxImagePixels();

  void setMaxImagePixels(long value);

  @Description("Main memory PDFBox may use per document before spilling to temporary files; larger files are "
      + "spooled to disk instead of read into memory.")
  @Default.Integer(SplitSettings.DEFAULT_MEMORY_PER_DOCUMENT_MB)
  int getMemoryPerDocumentMb();

  void setMemoryPerDocumentMb(int value);

  @Description("Time limit in seconds of one file task: a whole document, or one task of a longer one (its "
      + "--pagesPerTask pages, or a few pages for OCR). Pages not done in time get a TIMEOUT dead letter and "
      + "earlier pages are kept; a task that does not stop is left to end on its own and the run goes on.")
  @Default.Integer(SplitSettings.DEFAULT_FILE_TIMEOUT_SECONDS)
  int getFileTimeoutSeconds();

  void setFileTimeoutSeconds(int value);

  @Description("Documents with more pages are cut into tasks of this many pages that run in parallel; each task "
      + "reads the file again.")
  @Default.Integer(SplitSettings.DEFAULT_PAGES_PER_TASK)
  int getPagesPerTask();

  void setPagesPerTask(int value);

  @Description("OCR in the JVM (Tesseract): auto reads pages without a text layer and the embedded images; all "
      + "also reads every page (for PDFs whose text layer is broken); off reads nothing.")
  @Default.String("auto")
  String getOcr();

  void setOcr(String value);

  @Description("Tesseract languages joined by '+', for example eng+deu. Only English is bundled; others need "
      + "--ocrDataDir.")
  @Default.String(OcrSettings.DEFAULT_LANGUAGES)
  String getOcrLanguages();

  void setOcrLanguages(String value);

  @Description("A folder holding the .traineddata file of every language in --ocrLanguages (on a cluster: the "
      + "same folder on every worker). Empty means the bundled English data.")
  @Default.String("")
  String getOcrDataDir();

  void setOcrDataDir(String value);

  @Description("Resolution pages without a text layer are rendered at for OCR, in dots per inch.")
  @Default.Integer(OcrSettings.DEFAULT_PAGE_DPI)
  int getOcrDpi();

  void setOcrDpi(int value);

  @Description("Embedded images whose long side is below this many pixels are enlarged 2x before OCR; 0 never.")
  @Default.Integer(OcrSettings.DEFAULT_UPSCALE_BELOW)
  int getOcrUpscaleBelow();

  void setOcrUpscaleBelow(int value);

  @Description("Time limit of OCR on one page or image in seconds; one that runs over becomes a TIMEOUT dead "
      + "letter.")
  @Default.Integer(OcrSettings.DEFAULT_SECONDS_PER_IMAGE)
  int getOcrSecondsPerImage();

  void setOcrSecondsPerImage(int value);

  @Description("Encode the elements and write vectors. false: only split (no model is loaded), for inspection.")
  @Default.Boolean(true)
  boolean getEncode();

  void setEncode(boolean value);

  @Description("Where the model runs: auto (CUDA when it loads, else the CPU, saying why), cpu, cuda or cuda:N "
      + "(fails at startup when CUDA cannot load).")
  @Default.String("auto")
  String getDevice();

  void setDevice(String value);

  @Description("ONNX Runtime intra-op threads on the CPU; 0 means every core.")
  @Default.Integer(0)
  int getCpuThreads();

  void setCpuThreads(int value);

  @Description("CUDA memory arena limit in MB; 0 means no limit.")
  @Default.Integer(0)
  int getCudaMemoryLimitMb();

  void setCudaMemoryLimitMb(int value);

  @Description("Text chunks per model run; 0 means 8 on the CPU and 64 on CUDA.")
  @Default.Integer(0)
  int getTextBatchSize();

  void setTextBatchSize(int value);

  @Description("Images per model run (CLIP-family models); 0 means 8 on the CPU and 64 on CUDA.")
  @Default.Integer(0)
  int getImageBatchSize();

  void setImageBatchSize(int value);

  @Description("Most padded tokens (batch size x longest chunk) per text batch; 0 means no limit beyond "
      + "--textBatchSize.")
  @Default.Integer(0)
  int getMaxBatchTokens();

  void setMaxBatchTokens(int value);

  @Description("Keys the encoder's batching state is spread over; 0 means 2 per worker. Never fewer than --workers.")
  @Default.Integer(0)
  int getEncoderShards();

  void setEncoderShards(int value);

  @Description("How the encoder gathers batches: keyed (keyed state after a shuffle; batches stay full across "
      + "small bundles), bundle (within each bundle, no shuffle, encoding overlaps splitting; for runners with "
      + "large bundles), or auto: keyed on the DirectRunner, bundle on Flink.")
  @Default.String("auto")
  String getEncoderBatching();

  void setEncoderBatching(String value);

  @Description("Parallel workers: DirectRunner threads, or the slots of a Flink job. 0: the runner's default (the "
      + "DirectRunner: 1 thread when encoding; Flink: every slot of the cluster, or this machine's cores for "
      + "[local]).")
  @Default.Integer(0)
  int getWorkers();

  void setWorkers(int value);

  @Description("A partial batch is encoded once its oldest element has waited this long (seconds).")
  @Default.Integer(EncodeSettings.DEFAULT_MAX_BUFFERING_SECONDS)
  int getMaxBufferingSeconds();

  void setMaxBufferingSeconds(int value);

  @Description("Re-ingest every file, even those the collection's manifest shows unchanged (same content, same "
      + "model and settings). Without it, a run into an existing Chroma or Milvus collection, or into a file sink that "
      + "holds an earlier run's manifest, skips unchanged files and replaces the records of changed ones.")
  @Default.Boolean(false)
  boolean getFull();

  void setFull(boolean value);

  @Description("Directory of the run locks: two ingest runs into the same sink never overlap; the second exits "
      + "with code 3 and names the holder. On several hosts, use a directory they share.")
  @Default.InstanceFactory(LockDirFactory.class)
  String getLockDir();

  void setLockDir(String value);

  /** The default --lockDir: pagebeam-locks in the system's temporary directory. */
  class LockDirFactory implements DefaultValueFactory<String> {
    @Override
    public String create(PipelineOptions options) {
      return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "pagebeam-locks").toString();
    }
  }

  @Description("Delete from the sink (Chroma, Milvus or files) the records of documents that are no longer in "
      + "the input (by the sink's manifest). Without it nothing is deleted.")
  @Default.Boolean(false)
  boolean getPrune();

  void setPrune(boolean value);

  @Description("Replace what the sink holds even when its model or dimension differ: the vectors of an earlier run "
      + "into the same output, or the Chroma or Milvus collection (dropped and created again).")
  @Default.Boolean(false)
  boolean getRecreate();

  void setRecreate(boolean value);

  @Description("Where the vectors go: file:DIR, chroma://HOST:PORT/COLLECTION or milvus://HOST:PORT/COLLECTION. "
      + "Empty means file:OUTPUT.")
  @Default.String("")
  String getSink();

  void setSink(String value);

  @Description("Chroma tenant of the collection.")
  @Default.String("default_tenant")
  String getChromaTenant();

  void setChromaTenant(String value);

  @Description("Chroma database of the collection (created if missing).")
  @Default.String("default_database")
  String getChromaDatabase();

  void setChromaDatabase(String value);

  @Description("Milvus database of the collection.")
  @Default.String("default")
  String getMilvusDatabase();

  void setMilvusDatabase(String value);

  @Description("Milvus token (user:password or an API key), for runs in this JVM (the DirectRunner, Flink "
      + "[local]); it stays in this process's memory. Empty: --milvusTokenFile, else the MILVUS_TOKEN environment "
      + "variable where the sink runs (on every TaskManager of a cluster). Never logged, printed or serialized.")
  @JsonIgnore
  Secret getMilvusToken();

  void setMilvusToken(Secret value);

  @Description("A file holding the Milvus token, read where the sink runs (on a cluster: the same path on every "
      + "TaskManager). Empty means --milvusToken, else the MILVUS_TOKEN environment variable.")
  @Default.String("")
  String getMilvusTokenFile();

  void setMilvusTokenFile(String value);

  @Description("Connect to Milvus over TLS.")
  @Default.Boolean(false)
  boolean getMilvusTls();

  void setMilvusTls(boolean value);

  @Description("For the first load of a large corpus into an empty Milvus collection: write the vectors into this"
      + " directory as Parquet files for Milvus's bulk import, instead of upserting them. The collection is created"
      + " and checked as for upserts and every document is split; import the files afterwards (docs/sinks.md).")
  @Default.String("")
  String getMilvusBulk();

  void setMilvusBulk(String value);

  @Description("Most records per upsert request to Chroma or Milvus (also bounded to 4 MB).")
  @Default.Integer(500)
  int getSinkBatchSize();

  void setSinkBatchSize(int value);

  @Description("Most upsert requests to Chroma or Milvus in flight at once per sink instance (a DirectRunner worker"
      + " thread, a Flink slot), each on a connection of its own (1 to 16). It goes on batching while they run, and"
      + " waits when all are busy.")
  @Default.Integer(2)
  int getSinkRequestsInFlight();

  void setSinkRequestsInFlight(int value);

  @Description("How long a failing upsert is retried (connection refused or reset, timeouts, 5xx, UNAVAILABLE) "
      + "before its records become dead letters and the run exits 1.")
  @Default.Integer(120)
  int getSinkRetrySeconds();

  void setSinkRetrySeconds(int value);

  @Description("Also write the split elements as JSON lines under OUTPUT/elements, for inspection.")
  @Default.Boolean(false)
  boolean getWriteElements();

  void setWriteElements(boolean value);

  @Description("Also write every page thumbnail and embedded image as a file under OUTPUT/images, for inspection.")
  @Default.Boolean(true)
  boolean getWriteImages();

  void setWriteImages(boolean value);

  /** The bundled sample corpus, found through the pagebeam.home property that bin/pagebeam sets. */
  final class SampleInputFactory implements DefaultValueFactory<List<String>> {
    @Override
    public List<String> create(PipelineOptions options) {
      String home = System.getProperty("pagebeam.home", ".");
      return List.of(home + "/samples/*.pdf");
    }
  }
}

package dev.pagebeam.pipeline;

import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.split.SplitSettings;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Every option of the pagebeam jobs. The CLI help and the README's Configuration table are made
 * from these descriptions and defaults (a test keeps the README in step).
 */
public interface PagebeamOptions extends PipelineOptions {

  @Description("PDF files to read: paths or globs on any Beam file system, comma-separated. A directory "
      + "means every *.pdf below it.")
  @Default.InstanceFactory(SampleInputFactory.class)
  @Validation.Required
  List<String> getInput();

  void setInput(List<String> value);

  @Description("Output directory: split elements (JSON lines), image files and dead letters.")
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

  @Description("Render a thumbnail of every page.")
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

  @Description("Time limit per document in seconds (per task for documents longer than --pagesPerTask); pages "
      + "not done in time get a TIMEOUT dead letter, earlier pages are kept.")
  @Default.Integer(SplitSettings.DEFAULT_SECONDS_PER_DOCUMENT)
  int getSecondsPerDocument();

  void setSecondsPerDocument(int value);

  @Description("Documents with more pages are cut into tasks of this many pages that run in parallel; each task "
      + "reads the file again.")
  @Default.Integer(SplitSettings.DEFAULT_PAGES_PER_TASK)
  int getPagesPerTask();

  void setPagesPerTask(int value);

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

package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.TextSource;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.core.FileFaults;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.model.ModelTokenizer;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/** Chunks each page's text with the embedding model's tokenizer. */
class ChunkPageTextFn extends DoFn<PageText, PdfElement> {
  private final SplitSettings settings;
  private transient ModelTokenizer tokenizer;
  private transient TokenChunker chunker;
  private transient String fingerprint;
  private transient String ocrFingerprint;

  ChunkPageTextFn(SplitSettings settings) {
    this.settings = settings;
  }

  @Setup
  public void setup() throws IOException {
    tokenizer = ModelTokenizer.load(settings.tokenizerModel());
    chunker = new TokenChunker(tokenizer, settings.maxTokens(), settings.overlapTokens());
    fingerprint = chunker.fingerprint();
    ocrFingerprint = fingerprint + "|" + settings.ocr().fingerprint();
  }

  @ProcessElement
  public void process(@Element PageText page, MultiOutputReceiver out) {
    List<TokenChunker.Chunk> chunks;
    try {
      chunks = chunker.chunk(page.getText());
    } catch (Throwable e) {
      FileFaults.rethrowIfNotPerFile(e);
      out.get(ChunkPageText.DEAD_LETTERS).output(DeadLetter.forElement(page.getSource(), page.getDocumentId(),
          DeadLetter.STAGE_CHUNK, FileFaults.kind(e, ErrorKind.TEXT_FAILED), "chunking failed: "
              + FileFaults.describe(e), page.getPage(),
          "page " + page.getPage() + " text"));
      SplitCounters.deadLetters.inc();
      return;
    }
    int index = 0;
    String fp = page.getTextSource() == TextSource.OCR ? ocrFingerprint : fingerprint;
    for (TokenChunker.Chunk chunk : chunks) {
      out.get(ChunkPageText.CHUNKS)
          .output(PdfElement.textChunk(page, index++, chunk.charStart, chunk.charEnd, chunk.tokenCount, fp));
    }
    SplitCounters.textChunks.inc(chunks.size());
  }

  @Teardown
  public void teardown() {
    if (tokenizer != null) {
      tokenizer.close();
      tokenizer = null;
    }
  }
}

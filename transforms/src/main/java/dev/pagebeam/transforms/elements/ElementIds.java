package dev.pagebeam.transforms.elements;

import dev.pagebeam.transforms.core.Hashes;
import java.nio.charset.StandardCharsets;

/**
 * The one place where element ids are made.
 *
 * <p>An id depends only on the document's bytes (through its content hash), the element's type,
 * its position and the settings that shaped it, so the same file and settings give the same id on
 * every run and every runner. Sinks upsert by this id, which makes reruns idempotent.
 */
public final class ElementIds {
  private ElementIds() {}

  /**
   * Id of a text chunk: its document, page, character span and the settings that shaped its text
   * (the chunker's fingerprint; for OCR text also OCR's). Text-layer and OCR chunks of the same page
   * never share an id.
   */
  public static String textChunk(
      String documentId, int page, int charStart, int charEnd, String fingerprint, TextSource source) {
    String position = page + ":" + charStart + "-" + charEnd + (source == TextSource.TEXT_LAYER ? "" : ":" + source.label());
    return of(ElementType.TEXT_CHUNK, documentId, position, fingerprint);
  }

  /** Id of the text record of an image (models that also encode the image's pixels): from the image's id. */
  public static String imageText(String imageId) {
    return of(ElementType.TEXT_CHUNK, imageId, "image-text", "");
  }

  /** Id of a page thumbnail: its document, page and rendered long side. */
  public static String pageImage(String documentId, int page, int longSide) {
    return of(ElementType.PAGE_IMAGE, documentId, Integer.toString(page), "side=" + longSide);
  }

  /**
   * Id of an embedded image. Images are deduplicated within a document by content hash, so the hash
   * (not the page) identifies it; the output size is part of the settings.
   */
  public static String embeddedImage(String documentId, String imageContentHash, int maxSide) {
    return of(ElementType.EMBEDDED_IMAGE, documentId, imageContentHash, "max=" + maxSide);
  }

  private static String of(ElementType type, String documentId, String position, String settings) {
    String key = type.label() + '|' + documentId + '|' + position + '|' + settings;
    return Hashes.hex(Hashes.newSha256().digest(key.getBytes(StandardCharsets.UTF_8)), 16);
  }
}

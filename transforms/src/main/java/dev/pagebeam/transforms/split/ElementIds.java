package dev.pagebeam.transforms.split;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one place where element ids are made.
 *
 * <p>An id depends only on the document's bytes (through its content hash), the element's type,
 * its position and the settings that shaped it, so the same file and settings give the same id on
 * every run and every runner. Sinks upsert by this id, which makes reruns idempotent.
 */
public final class ElementIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

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
    return hex(sha256(key.getBytes(StandardCharsets.UTF_8)), 16);
  }

  /** SHA-256 of the bytes, as lower-case hex. */
  public static String sha256Hex(byte[] bytes) {
    return hex(sha256(bytes), 32);
  }

  /** SHA-256 of the UTF-8 bytes of the text, as lower-case hex. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] bytes) {
    return newSha256().digest(bytes);
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static String hex(byte[] digest, int bytes) {
    char[] out = new char[bytes * 2];
    for (int i = 0; i < bytes; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }
}

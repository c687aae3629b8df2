package dev.pagebeam.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.transforms.split.DeadLetter;
import dev.pagebeam.transforms.split.ElementType;
import dev.pagebeam.transforms.split.PdfElement;

/** The JSON-lines forms of split elements and dead letters written for inspection. */
public final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** One element without its image bytes; images are referenced by their file name. */
  public static String element(PdfElement e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", e.getId());
    n.put("document_id", e.getDocumentId());
    n.put("source", e.getSource());
    n.put("page", e.getPage());
    n.put("page_count", e.getPageCount());
    n.put("type", e.getType().label());
    n.put("content_hash", e.getContentHash());
    if (e.getType() == ElementType.PAGE_IMAGE) {
      n.put("page_has_text", e.pageHasText());
    }
    if (e.getType().isImage()) {
      n.put("image_file", imageFileName(e));
      n.put("image_format", e.getImageFormat());
      n.put("width", e.getWidth());
      n.put("height", e.getHeight());
      n.put("image_bytes", e.getImageBytes().length);
      if (e.getImageName() != null) {
        n.put("image_name", e.getImageName());
      }
    } else {
      n.put("chunk_index", e.getChunkIndex());
      n.put("char_start", e.getCharStart());
      n.put("char_end", e.getCharEnd());
      n.put("token_count", e.getTokenCount());
      n.put("text", e.getText());
    }
    return write(n);
  }

  public static String deadLetter(DeadLetter d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("file", d.getFile());
    if (d.getDocumentId() != null) {
      n.put("document_id", d.getDocumentId());
    }
    n.put("stage", d.getStage());
    n.put("error_kind", d.getErrorKind().name());
    n.put("message", d.getMessage());
    if (d.getPage() > 0) {
      n.put("page", d.getPage());
    }
    if (d.getElement() != null) {
      n.put("element", d.getElement());
    }
    return write(n);
  }

  /** images/ID.png: deterministic, so reruns overwrite instead of piling up. */
  public static String imageFileName(PdfElement e) {
    return "images/" + e.getId() + "." + ("jpeg".equals(e.getImageFormat()) ? "jpg" : e.getImageFormat());
  }

  static String write(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + node, e);
    }
  }
}

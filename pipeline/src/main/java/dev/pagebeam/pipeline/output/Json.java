package dev.pagebeam.pipeline.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.elements.ElementImage;
import dev.pagebeam.transforms.elements.ElementText;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.PdfElement;

/** The JSON-lines forms of split elements and dead letters written for inspection. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  /** The folder of image files under the output. */
  static final String IMAGES_DIR = "images";

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
    if (e.getThumbnailId() != null) {
      n.put("thumbnail_file", imageFile(e.getThumbnailId(), "png"));
    }
    ElementImage image = e.image();
    if (image != null) {
      if (e.getType() == ElementType.PAGE_IMAGE) {
        n.put("page_has_text", image.pageHasText());
      }
      n.put("image_file", imageFileName(e));
      n.put("image_format", image.format());
      n.put("width", image.width());
      n.put("height", image.height());
      if (image.bytes() != null) {
        n.put("image_bytes", image.bytes().length);
      }
      if (image.name() != null) {
        n.put("image_name", image.name());
      }
      if (image.caption() != null) {
        n.put("caption", image.caption());
      }
      if (image.context() != null) {
        n.put("context", image.context());
      }
      if (image.ocrText() != null) {
        n.put("ocr_text", image.ocrText());
      }
    }
    ElementText text = e.text();
    if (text != null) {
      if (e.getType() == ElementType.TEXT_CHUNK) {
        n.put("chunk_index", text.chunkIndex());
        n.put("char_start", text.charStart());
        n.put("char_end", text.charEnd());
      }
      n.put("token_count", text.tokenCount());
      n.put("text_source", text.source().label());
      if (text.ocrConfidence() >= 0) {
        n.put("ocr_confidence", text.ocrConfidence());
      }
      n.put("text", text.text());
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

  /** images/ab/ID.png: deterministic, so reruns overwrite instead of piling up. */
  public static String imageFileName(PdfElement e) {
    return imageFile(e.imageFileId(), e.getImageFormat());
  }

  /**
   * The image file of element {@code id}: in one of 256 folders named by the id's first two hex
   * digits, so that a million images do not end up in one folder.
   */
  public static String imageFile(String id, String format) {
    return IMAGES_DIR + "/" + id.substring(0, 2) + "/" + id + "." + ("jpeg".equals(format) ? "jpg" : format);
  }

  public static String write(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + node, e);
    }
  }
}

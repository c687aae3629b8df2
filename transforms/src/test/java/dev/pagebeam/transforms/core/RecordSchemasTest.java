package dev.pagebeam.transforms.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** The small records travel with Beam's schema coders: every field, nulls included, survives a round trip. */
class RecordSchemasTest {
  @Test
  void deadLettersRoundTripWithTheirNullableFields() throws Exception {
    DeadLetter whole = DeadLetter.forFile("/data/a.pdf", null, DeadLetter.STAGE_OPEN, ErrorKind.DAMAGED, "not a PDF");
    DeadLetter element = DeadLetter.forElement("/data/b.pdf", "ab12", DeadLetter.STAGE_IMAGES, ErrorKind.IMAGE_FAILED,
        "JPX decoder missing", 3, "page 3 image Im1 (60000x60000 px)");
    CoderProperties.coderDecodeEncodeEqual(DeadLetter.CODER, whole);
    CoderProperties.coderDecodeEncodeEqual(DeadLetter.CODER, element);
    DeadLetter back = org.apache.beam.sdk.util.CoderUtils.clone(DeadLetter.CODER, element);
    assertThat(back.getPage()).isEqualTo(3);
    assertThat(back.getErrorKind()).isEqualTo(ErrorKind.IMAGE_FAILED);
    assertThat(back.getElement()).isEqualTo("page 3 image Im1 (60000x60000 px)");
    assertThat(org.apache.beam.sdk.util.CoderUtils.clone(DeadLetter.CODER, whole).isWholeFile()).isTrue();

    Schema schema = ((SchemaCoder<DeadLetter>) DeadLetter.CODER).getSchema();
    assertThat(schema.getFieldNames()).containsExactlyInAnyOrder("file", "documentId", "stage", "errorKind", "message",
        "page", "element");
    assertThat(schema.getField("documentId").getType().getNullable()).isTrue();
    assertThat(schema.getField("file").getType().getNullable()).isFalse();
  }

  @Test
  void fileReportsRoundTrip() throws Exception {
    dev.pagebeam.transforms.split.DocumentReport failed = new dev.pagebeam.transforms.split.DocumentReport(
        "/data/c.pdf", null, true, 0, 0, 0, 0, 12L, "ENCRYPTED: a password is needed");
    dev.pagebeam.transforms.split.DocumentReport read = new dev.pagebeam.transforms.split.DocumentReport(
        "/data/d.pdf", "ff00", false, 12, 2, 1, 1, 3_000_000_000L, null);
    for (dev.pagebeam.transforms.split.DocumentReport r : java.util.List.of(failed, read)) {
      CoderProperties.coderDecodeEncodeEqual(dev.pagebeam.transforms.split.DocumentReport.CODER, r);
    }
    dev.pagebeam.transforms.split.DocumentReport back = org.apache.beam.sdk.util.CoderUtils.clone(
        dev.pagebeam.transforms.split.DocumentReport.CODER, read);
    assertThat(back.millis()).isEqualTo(3_000_000_000L);
    assertThat(back.pagesWithoutText()).isEqualTo(2);
    assertThat(back.isFileReport()).isFalse();
  }

  @Test
  void pageTextsAndTasksRoundTrip() throws Exception {
    dev.pagebeam.transforms.elements.PageText ocr = new dev.pagebeam.transforms.elements.PageText("ff00", "/data/s.pdf",
        7, 9, "scanned words", dev.pagebeam.transforms.elements.TextSource.OCR, 81, "thumb-7");
    dev.pagebeam.transforms.elements.PageText layer = new dev.pagebeam.transforms.elements.PageText("ff00",
        "/data/s.pdf", 1, 9, "");
    CoderProperties.coderDecodeEncodeEqual(dev.pagebeam.transforms.elements.PageText.CODER, ocr);
    CoderProperties.coderDecodeEncodeEqual(dev.pagebeam.transforms.elements.PageText.CODER, layer);
    dev.pagebeam.transforms.elements.PageText back = org.apache.beam.sdk.util.CoderUtils.clone(
        dev.pagebeam.transforms.elements.PageText.CODER, ocr);
    assertThat(back.getTextSource()).isEqualTo(dev.pagebeam.transforms.elements.TextSource.OCR);
    assertThat(back.getOcrConfidence()).isEqualTo(81);
    assertThat(org.apache.beam.sdk.util.CoderUtils.clone(dev.pagebeam.transforms.elements.PageText.CODER, layer)
        .getThumbnailId()).isNull();

    dev.pagebeam.transforms.split.DocumentTask task = new dev.pagebeam.transforms.split.DocumentTask("/data/big.pdf",
        7_000_000_000L, "ab", 1200, dev.pagebeam.transforms.split.DocumentTask.Kind.OCR, 101, 150);
    CoderProperties.coderDecodeEncodeEqual(dev.pagebeam.transforms.split.DocumentTask.CODER, task);
    dev.pagebeam.transforms.split.DocumentTask t = org.apache.beam.sdk.util.CoderUtils.clone(
        dev.pagebeam.transforms.split.DocumentTask.CODER, task);
    assertThat(t.kind()).isEqualTo(dev.pagebeam.transforms.split.DocumentTask.Kind.OCR);
    assertThat(t.sizeBytes()).isEqualTo(7_000_000_000L);
    assertThat(t.pages()).isEqualTo(50);
  }
}

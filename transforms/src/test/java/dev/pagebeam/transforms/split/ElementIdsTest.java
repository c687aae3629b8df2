package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.elements.ElementIds;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.elements.TextSource;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Ids are a pure function of the file's bytes and the settings. */
class ElementIdsTest {
  private static final SplitSettings SETTINGS = SplitSettings.defaults();

  @Test
  void sameBytesGiveTheSameIdsOnEveryRun() throws Exception {
    byte[] pdf = TestPdfs.images();
    List<String> first = ids(Collected.split("/data/a.pdf", pdf, SETTINGS));
    List<String> second = ids(Collected.split("/data/a.pdf", pdf, SETTINGS));
    assertThat(first).hasSize(6).doesNotHaveDuplicates().isEqualTo(second);
    // The path is metadata, not identity: a moved file keeps its ids.
    assertThat(ids(Collected.split("/elsewhere/renamed.pdf", pdf, SETTINGS))).isEqualTo(first);
  }

  @Test
  void changedContentGivesNewIds() throws Exception {
    Collected a = Collected.split("a.pdf", TestPdfs.text("The tide gauge drifted by four millimetres."), SETTINGS);
    Collected b = Collected.split("a.pdf", TestPdfs.text("The tide gauge drifted by five millimetres."), SETTINGS);
    assertThat(a.texts.get(0).getDocumentId()).isNotEqualTo(b.texts.get(0).getDocumentId());
    assertThat(ids(a)).doesNotContainAnyElementsOf(ids(b));
  }

  @Test
  void settingsThatShapeAnElementArePartOfItsId() throws Exception {
    byte[] pdf = TestPdfs.images();
    List<String> base = ids(Collected.split("a.pdf", pdf, SETTINGS));
    List<String> smallThumbs = ids(Collected.split("a.pdf", pdf, SETTINGS.withPageImages(true, 128)));
    assertThat(smallThumbs).hasSize(6);
    assertThat(smallThumbs.stream().filter(base::contains).count()).as("embedded images keep their ids").isEqualTo(3);
    String docId = "d".repeat(64);
    TextSource layer = TextSource.TEXT_LAYER;
    assertThat(ElementIds.textChunk(docId, 1, 0, 10, "fp1", layer))
        .isNotEqualTo(ElementIds.textChunk(docId, 1, 0, 10, "fp2", layer));
    assertThat(ElementIds.textChunk(docId, 1, 0, 10, "fp1", layer))
        .isNotEqualTo(ElementIds.textChunk(docId, 2, 0, 10, "fp1", layer));
    assertThat(ElementIds.textChunk(docId, 1, 0, 10, "fp1", layer))
        .isEqualTo(ElementIds.textChunk(docId, 1, 0, 10, "fp1", layer));
    // the OCR text of a page never takes the id of its text layer's chunk (--ocr=all reads both)
    assertThat(ElementIds.textChunk(docId, 1, 0, 10, "fp1", TextSource.OCR))
        .isNotEqualTo(ElementIds.textChunk(docId, 1, 0, 10, "fp1", layer));
  }

  private static List<String> ids(Collected c) {
    return c.images.stream().map(PdfElement::getId).collect(Collectors.toList());
  }
}

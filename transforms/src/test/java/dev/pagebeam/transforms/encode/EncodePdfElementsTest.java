package dev.pagebeam.transforms.encode;

import dev.pagebeam.transforms.model.Vectors;
import dev.pagebeam.transforms.core.PagebeamCounters;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.transforms.model.DeviceRequest;
import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelSpec;
import dev.pagebeam.transforms.model.TinyClip;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.elements.ElementIds;
import dev.pagebeam.transforms.elements.ElementImage;
import dev.pagebeam.transforms.elements.ElementText;
import dev.pagebeam.transforms.elements.ElementType;
import dev.pagebeam.transforms.elements.EncodedImage;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.elements.PageText;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.split.TestPdfs;
import dev.pagebeam.transforms.elements.TextSource;
import dev.pagebeam.transforms.split.TokenChunkerTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The encoder on the DirectRunner with real models. */
class EncodePdfElementsTest {
  @RegisterExtension
  static final TestPipelineExtension PIPELINE = TestPipelineExtension.fromOptions(directOptions());

  @TempDir Path dir;

  private static DirectOptions directOptions() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setTargetParallelism(4);
    options.setBlockOnRun(true);
    return options;
  }

  /** Text chunks of varying length from pseudo-random prose. */
  static List<PdfElement> chunks(int n) {
    List<PdfElement> out = new ArrayList<>();
    String doc = "d".repeat(64);
    for (int i = 0; i < n; i++) {
      String text = TokenChunkerTest.prose(i, 1, 1 + i % 4).trim();
      PageText page = new PageText(doc, "/corpus/doc.pdf", i + 1, n, text);
      out.add(PdfElement.textChunk(page, 0, 0, text.length(), 10 + text.length() / 5, "test"));
    }
    return out;
  }

  static PdfElement image(int i, byte[] bytes) throws Exception {
    return PdfElement.pageImage("e".repeat(64), "/corpus/scan.pdf", i + 1, 100,
        new EncodedImage(bytes, "png", 64, 48), 224, false, false);
  }

  static byte[] png(int seed) throws Exception {
    return EncodedImage.png(TestPdfs.picture(64 + seed, 48, seed)).bytes();
  }

  @Test
  void encodesThousandsInFullBatchesWithOneModelLoadAcrossDoFnInstances(TestPipeline p) throws Exception {
    ModelSpec spec = new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2"), DeviceRequest.parse("cpu"), 2, 0);
    EncodeSettings settings = EncodeSettings.of(spec).withBatchSizes(32, 16).withShards(4).withMaxBufferingSeconds(600);
    List<PdfElement> elements = chunks(1200);
    List<PdfElement> images = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      images.add(image(i, png(i)));
    }
    Map<String, float[]> expected = new HashMap<>();
    try (EmbeddingModel model = EmbeddingModel.load(spec)) {
      for (PdfElement e : elements.subList(0, 60)) {
        expected.put(e.getId(), model.embedTexts(List.of(e.getText()), false).vectors[0]);
      }
    }
    List<PdfElement> firstHalf = new ArrayList<>(elements.subList(0, 600));
    firstHalf.addAll(images);
    // Two separate encode transforms: two DoFns, several instances each on 4 threads, one model.
    PCollection<EmbeddedElement> a = p.apply("A", Create.of(firstHalf)).apply("EncodeA", EncodePdfElements.with(settings))
        .embedded();
    PCollection<EmbeddedElement> b = p.apply("B", Create.of(elements.subList(600, 1200)))
        .apply("EncodeB", EncodePdfElements.with(settings)).embedded();
    PAssert.that(a).satisfies(out -> {
      List<EmbeddedElement> all = new ArrayList<>();
      out.forEach(all::add);
      assertThat(all).hasSize(600);
      for (EmbeddedElement e : all) {
        assertThat(e.vector()).hasSize(384);
        assertThat(e.modelId()).isEqualTo("all-minilm-l6-v2");
        assertThat(e.element().getType().isImage()).isFalse();
        float[] want = expected.get(e.element().getId());
        if (want != null) {
          assertThat(Vectors.cosine(e.vector(), want)).isGreaterThanOrEqualTo(0.99999);
        }
      }
      return null;
    });
    PAssert.that(b).satisfies(out -> {
      assertThat(StreamSupport.stream(out.spliterator(), false).map(e -> e.element().getId()).distinct().count())
          .isEqualTo(600);
      return null;
    });
    PipelineResult result = p.run();
    Map<String, Long> c = counters(result);
    assertThat(c.get(EncodeCounters.MODEL_LOADS)).isEqualTo(1);
    assertThat(c.get(EncodeCounters.ENCODED)).isEqualTo(1200);
    assertThat(c.get(EncodeCounters.IMAGES_WITHOUT_ENCODER)).isEqualTo(10);
    assertThat(c.get(EncodeCounters.TRUNCATED_CHUNKS)).isZero();
    double fill = (double) c.get(EncodeCounters.BATCH_SLOTS_USED) / c.get(EncodeCounters.BATCH_SLOTS);
    System.out.printf("mean batch fill %.3f over %d batches%n", fill, c.get(EncodeCounters.BATCHES));
    assertThat(fill).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void clipModelEncodesTextAndImagesIntoOneSpaceAndDeadLettersWhatItCannotRead(TestPipeline p) throws Exception {
    ModelLocation clip = TinyClip.assemble(dir.resolve("tiny-clip"));
    ModelSpec spec = new ModelSpec(clip, DeviceRequest.parse("auto"), 2, 0);
    EncodeSettings settings = EncodeSettings.of(spec).withBatchSizes(8, 4).withShards(2).withMaxBufferingSeconds(600);
    List<PdfElement> elements = new ArrayList<>(chunks(40));
    for (int i = 0; i < 40; i++) {
      elements.add(image(i, png(i)));
    }
    PdfElement broken = image(99, "this is not a PNG".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    elements.add(broken);
    // an image with OCR text: its pixels go to the vision tower, its text to the text tower
    PdfElement screenshot = embeddedImage(7, "Disk quota exceeded on /srv/backup", "Disk quota exceeded on /srv/backup");
    elements.add(screenshot);
    // a large image travels to the encoder at the model's size, with the very same vector
    PdfElement large = PdfElement.pageImage("e".repeat(64), "/corpus/scan.pdf", 77, 100,
        EncodedImage.png(TestPdfs.picture(900, 600, 3)), 900, true, false);
    elements.add(large);
    Map<String, float[]> expected = new HashMap<>();
    try (EmbeddingModel model = EmbeddingModel.load(spec)) {
      PdfElement text = elements.get(0);
      expected.put(text.getId(), model.embedTexts(List.of(text.getText()), false).vectors[0]);
      expected.put(large.getId(), model.embedImages(List.of(model.manifest().image().apply(
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(large.getImageBytes())))))[0]);
      PdfElement img = elements.get(45);
      float[] pixels = model.manifest().image().apply(
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(img.getImageBytes())));
      expected.put(img.getId(), model.embedImages(List.of(pixels))[0]);
    }
    EncodePdfElements.Result out = p.apply(Create.of(elements)).apply(EncodePdfElements.with(settings));
    PAssert.that(out.embedded()).satisfies(all -> {
      List<EmbeddedElement> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list).hasSize(83);
      assertThat(list.stream().map(e -> e.vector().length).distinct()).containsExactly(TinyClip.DIMENSION);
      assertThat(list).filteredOn(e -> e.element().getId().equals(ElementIds.imageText(screenshot.getId())))
          .singleElement().satisfies(e -> {
            assertThat(e.element().getType()).isEqualTo(ElementType.TEXT_CHUNK);
            assertThat(e.element().getText()).isEqualTo("Disk quota exceeded on /srv/backup");
            assertThat(e.element().imageFileId()).isEqualTo(screenshot.getId());
          });
      assertThat(list).filteredOn(e -> e.element().getId().equals(large.getId())).singleElement()
          .satisfies(e -> assertThat(e.element().getWidth() + "x" + e.element().getHeight()).isEqualTo("336x224"));
      assertThat(list.stream().filter(e -> e.element().getType().isImage())).hasSize(42)
          .allSatisfy(e -> assertThat(e.element().getImageBytes()).as("bytes dropped after encoding").isNull());
      for (EmbeddedElement e : list) {
        float[] want = expected.get(e.element().getId());
        if (want != null) {
          assertThat(Vectors.cosine(e.vector(), want)).isGreaterThanOrEqualTo(0.99999);
        }
      }
      assertThat(expected.keySet()).allSatisfy(id -> assertThat(list).anyMatch(e -> e.element().getId().equals(id)));
      return null;
    });
    PAssert.that(out.deadLetters()).satisfies(all -> {
      List<DeadLetter> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list).singleElement().satisfies(d -> {
        assertThat(d.getErrorKind()).isEqualTo(ErrorKind.ENCODE_FAILED);
        assertThat(d.getElement()).contains(broken.getId());
        assertThat(d.getMessage()).contains("cannot be decoded");
        assertThat(d.getFile()).isEqualTo("/corpus/scan.pdf");
      });
      return null;
    });
    Map<String, Long> c = counters(p.run());
    assertThat(c.get(EncodeCounters.IMAGES_WITHOUT_ENCODER)).isNull();
    assertThat(c.get(EncodeCounters.ENCODE_FAILURES)).isEqualTo(1);
  }

  @Test
  void inBundleBatchingEncodesEveryElementOnceWithTheSameVectors(TestPipeline p) throws Exception {
    ModelSpec spec = new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2"), DeviceRequest.parse("cpu"), 2, 0);
    EncodeSettings settings = EncodeSettings.of(spec).withShards(2).withMaxBufferingSeconds(600)
        .withBatching(EncodeSettings.Batching.BUNDLE);
    List<PdfElement> elements = new ArrayList<>(chunks(300));
    elements.add(embeddedImage(1, "Disk quota exceeded on /srv/backup", "Disk quota exceeded on /srv/backup"));
    elements.add(thumbnail(2, false, false)); // nothing to embed: counted
    Map<String, float[]> expected = new HashMap<>();
    try (EmbeddingModel model = EmbeddingModel.load(spec)) {
      for (PdfElement e : elements.subList(0, 40)) {
        expected.put(e.getId(), model.embedTexts(List.of(e.getText()), false).vectors[0]);
      }
    }
    EncodePdfElements.Result out = p.apply(Create.of(elements)).apply(EncodePdfElements.with(settings));
    PAssert.that(out.embedded()).satisfies(all -> {
      List<EmbeddedElement> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list).hasSize(301);
      assertThat(list.stream().map(e -> e.element().getId()).distinct()).hasSize(301);
      for (EmbeddedElement e : list) {
        float[] want = expected.get(e.element().getId());
        if (want != null) {
          assertThat(Vectors.cosine(e.vector(), want)).isGreaterThanOrEqualTo(0.99999);
        }
      }
      return null;
    });
    PAssert.that(out.deadLetters()).empty();
    Map<String, Long> c = counters(p.run());
    assertThat(c.get(EncodeCounters.ENCODED)).isEqualTo(301);
    assertThat(c.get(EncodeCounters.IMAGES_WITHOUT_ENCODER)).isEqualTo(1);
    assertThat(c.get(EncodeCounters.MODEL_LOADS)).isEqualTo(1);
  }

  /** An embedded image that OCR read (or not: {@code ocrText} null) with {@code text} to embed (or none). */
  static PdfElement embeddedImage(int i, String text, String ocrText) throws Exception {
    PdfElement image = PdfElement.embeddedImage("f".repeat(64), "/corpus/manual.pdf", i + 1, 50,
        String.format("%064x", i), "Im" + i, new EncodedImage(png(i), "png", 64 + i, 48), 1024, null, null, null);
    ElementImage read = ocrText == null ? image.image() : image.image().withOcr(ocrText, ocrText.isEmpty() ? -1 : 90);
    ElementText t = text == null ? null
        : new ElementText(text, 0, 0, text.length(), 8 + text.length() / 5, TextSource.OCR, 90);
    return image.withImageText(t, read);
  }

  static PdfElement thumbnail(int i, boolean pageHasText, boolean pageReadByOcr) throws Exception {
    return PdfElement.pageImage("e".repeat(64), "/corpus/scan.pdf", i + 1, 100,
        new EncodedImage(png(i), "png", 64 + i, 48), 224, pageHasText, pageReadByOcr);
  }

  @Test
  void aTextModelEmbedsImagesByTheirTextWithoutTheirBytesAndCountsWhatItCannotEmbed(TestPipeline p)
      throws Exception {
    ModelSpec spec = new ModelSpec(ModelLocation.bundled("all-minilm-l6-v2-q"), DeviceRequest.parse("cpu"), 2, 0);
    EncodeSettings settings = EncodeSettings.of(spec).withShards(2).withMaxBufferingSeconds(600);
    String screenshot = "Error 0x80070057: The parameter is incorrect.";
    List<PdfElement> elements = new ArrayList<>(chunks(5));
    PdfElement withText = embeddedImage(1, screenshot, screenshot);
    elements.add(withText);
    elements.add(embeddedImage(2, null, ""));              // OCR found nothing: images_without_text already
    elements.add(embeddedImage(3, null, null));            // OCR off, no caption: images_without_encoder
    elements.add(thumbnail(4, true, false));               // its page's text stands for it
    elements.add(thumbnail(5, false, true));               // its page's OCR text stands for it
    elements.add(thumbnail(6, false, false));              // a scan with OCR off: images_without_encoder
    float[] expected;
    try (EmbeddingModel model = EmbeddingModel.load(spec)) {
      expected = model.embedTexts(List.of(screenshot), false).vectors[0];
    }

    PCollection<KV<String, PdfElement>> keyed = p.apply("Keyed", Create.of(elements))
        .apply(ParDo.of(new EncodePdfElements.KeyByShardFn(2, new EncoderRouting(null))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), PdfElement.ElementCoder.of()));
    PAssert.that(keyed).satisfies(all -> {
      assertThat(all).hasSize(6).allSatisfy(kv -> {
        assertThat(kv.getKey()).startsWith("text-");
        assertThat(kv.getValue().getImageBytes()).as("no image bytes travel to a text model").isNull();
      });
      return null;
    });
    EncodePdfElements.Result out = p.apply(Create.of(elements)).apply(EncodePdfElements.with(settings));
    PAssert.that(out.embedded()).satisfies(all -> {
      List<EmbeddedElement> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list).hasSize(6);
      assertThat(list).filteredOn(e -> e.element().getType() == ElementType.EMBEDDED_IMAGE).singleElement()
          .satisfies(e -> {
            assertThat(e.element().getId()).isEqualTo(withText.getId());
            assertThat(e.element().getText()).isEqualTo(screenshot);
            assertThat(Vectors.cosine(e.vector(), expected)).isGreaterThan(0.98);
          });
      return null;
    });
    Map<String, Long> c = counters(p.run());
    // KeyByShard runs twice above (alone, and inside EncodePdfElements)
    assertThat(c.get(EncodeCounters.IMAGES_WITHOUT_ENCODER)).isEqualTo(2 * 2);
  }

  static Map<String, Long> counters(PipelineResult result) {
    result.waitUntilFinish();
    Iterable<MetricResult<Long>> counters = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(PagebeamCounters.NAMESPACE)).build()).getCounters();
    return StreamSupport.stream(counters.spliterator(), false)
        .collect(Collectors.toMap(m -> m.getName().getName(), MetricResult::getCommitted, Long::sum));
  }
}

package dev.pagebeam.pipeline.ingest;

import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.SinkTarget;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.files.FileVectorSink;
import dev.pagebeam.io.store.ManifestEntry;
import dev.pagebeam.io.store.WriteToVectorStore;
import dev.pagebeam.pipeline.incremental.DiffAgainstManifest;
import dev.pagebeam.pipeline.output.Json;
import dev.pagebeam.pipeline.output.WriteImageFiles;
import dev.pagebeam.transforms.core.DeadLetter;
import dev.pagebeam.transforms.core.ErrorKind;
import dev.pagebeam.transforms.elements.PdfElement;
import dev.pagebeam.transforms.encode.EmbeddedElement;
import dev.pagebeam.transforms.encode.EncodePdfElements;
import dev.pagebeam.transforms.split.SplitPdfs;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The ingest: file patterns in; vectors in the sink, and under the output directory the ledger (one
 * line per file), the dead letters and, when asked for, the elements and image files out.
 *
 * <pre>
 * patterns -> MatchFiles -> [DiffAgainstManifest] -> SplitPdfs -> [EncodePdfElements -> ToVectorRecord -> WriteVectors]
 *                                  |                     |  \-> WriteElements, WriteImages      |
 *                                  +-- ledger lines ------+---- reports, elements, dead letters -+--> WriteLedger
 *                                                                                                      -> WriteManifest
 * </pre>
 *
 * Without encoding (a split-only run) there is no diff, no sink and no manifest.
 */
public final class IngestPdfs extends PTransform<PCollection<String>, PDone> {
  private final IngestConfig config;

  private IngestPdfs(IngestConfig config) {
    this.config = config;
  }

  public static IngestPdfs with(IngestConfig config) {
    return new IngestPdfs(config);
  }

  @Override
  public PDone expand(PCollection<String> patterns) {
    String out = config.output();
    PCollection<MatchResult.Metadata> files = patterns.apply("MatchFiles", SplitPdfs.match());
    DiffAgainstManifest diff = config.diff();
    PCollectionTuple diffed = diff == null ? null : files.apply("DiffAgainstManifest", diff);
    PCollection<MatchResult.Metadata> toSplit = diffed == null ? files : diffed.get(DiffAgainstManifest.TO_SPLIT);

    SplitPdfs.Result split = toSplit.apply("SplitPdfs", SplitPdfs.files(config.split(), config.spreadKeys()));
    if (config.writeElements()) {
      split.elements()
          .apply("ElementToJson", MapElements.into(TypeDescriptors.strings()).via(Json::element))
          .apply("WriteElements", TextIO.write().to(out + "/elements/elements").withSuffix(".jsonl"));
    }
    List<PCollection<DeadLetter>> elementDeadLetters = new ArrayList<>(List.of(split.deadLetters()));
    if (config.writeImages()) {
      elementDeadLetters.add(split.elements().apply("WriteImages", new WriteImageFiles(out)));
    }
    PCollectionTuple ledger = PCollectionTuple.of(WriteLedger.REPORTS, split.reports())
        .and(WriteLedger.ELEMENTS, split.elements());
    PCollection<SinkFailure> failed = null;
    if (config.encodes()) {
      EncodePdfElements.Result encoded = split.elements()
          .apply("EncodePdfElements", EncodePdfElements.with(config.encode()));
      elementDeadLetters.add(encoded.deadLetters());
      boolean imageFiles = config.writeImages();
      PCollection<VectorRecord> records = encoded.embedded()
          .apply("ToVectorRecord", MapElements.into(TypeDescriptor.of(VectorRecord.class))
              .via((EmbeddedElement e) -> toRecord(e, out, imageFiles)))
          .setCoder(VectorRecord.RecordCoder.of());
      failed = records.apply("WriteVectors", writeVectors(diffed));
      ledger = ledger.and(WriteLedger.VECTORS, records).and(WriteLedger.SINK_FAILURES, failed)
          .and(WriteLedger.MORE_LINES, diffed.get(DiffAgainstManifest.LEDGER_LINES));
    }
    // the ledger counts sink failures apart from the split's and the encoder's dead letters
    PCollection<DeadLetter> deadLetters = PCollectionList.of(elementDeadLetters)
        .apply("ElementDeadLetters", Flatten.pCollections());
    PCollection<ManifestEntry> indexed = ledger.and(WriteLedger.DEAD_LETTERS, deadLetters)
        .apply("Ledger", new WriteLedger(out, config.ledgerRun(), config.fingerprint(), config.spreadKeys()));
    if (diff != null) {
      diff.writeManifest(diffed, indexed);
    }
    List<PCollection<DeadLetter>> all = new ArrayList<>(List.of(deadLetters));
    if (failed != null) {
      all.add(failed.apply("SinkFailureToDeadLetter",
          MapElements.into(TypeDescriptor.of(DeadLetter.class)).via(IngestPdfs::toDeadLetter))
          .setCoder(DeadLetter.CODER));
    }
    PCollectionList.of(all)
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("DeadLetterToJson", MapElements.into(TypeDescriptors.strings()).via(Json::deadLetter))
        .apply("WriteDeadLetters", TextIO.write().to(out + "/dead-letters/dead-letters").withSuffix(".jsonl"));
    return PDone.in(patterns.getPipeline());
  }

  /**
   * The sink's write: a database sink's batched upserts, Milvus bulk-import files, or the file
   * sink's shards, which also take the lines the diff carried over from the previous run.
   */
  private PTransform<PCollection<VectorRecord>, PCollection<SinkFailure>> writeVectors(PCollectionTuple diffed) {
    SinkTarget target = config.sink();
    if (target.kind() == SinkTarget.Kind.FILE) {
      return FileVectorSink.write(target.directory(), config.dimension())
          .withCarried(diffed.get(DiffAgainstManifest.CARRIED));
    }
    if (config.bulk() != null) {
      return config.bulk();
    }
    return WriteToVectorStore.to(config.store(), config.dimension())
        .withMaxBatchRecords(config.sinkBatchSize())
        .withMaxRequestsInFlight(config.sinkRequestsInFlight())
        .withRetry(config.retry());
  }

  /**
   * The sink record of an encoded element. Images (and the text records of images) point at their
   * image file when one is written, chunks at their place in the PDF; every record names its page's
   * thumbnail file when there is one.
   */
  public static VectorRecord toRecord(EmbeddedElement e, String output, boolean imageFiles) {
    PdfElement el = e.element();
    String ref = el.imageFileId() != null && imageFiles ? output + "/" + Json.imageFileName(el) : el.sourceRef();
    String thumbnail = el.getThumbnailId() != null && imageFiles
        ? output + "/" + Json.imageFile(el.getThumbnailId(), "png") : null;
    return new VectorRecord(el.getId(), el.getDocumentId(), el.getType().label(), el.getSource(), el.getPage(),
        el.getText(), ref, el.getContentHash(), e.modelId(), e.vector())
        .withPage(thumbnail, el.hasText() ? el.text().source().label() : null);
  }

  static DeadLetter toDeadLetter(SinkFailure f) {
    return DeadLetter.forElement(f.source(), f.documentId(), "sink", ErrorKind.SINK_FAILED, f.reason(), f.page(),
        f.type() + " " + f.recordId());
  }
}

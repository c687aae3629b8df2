package dev.pagebeam.io.milvus;

import dev.pagebeam.io.CheckDimensionFn;
import dev.pagebeam.io.SinkCounters;
import dev.pagebeam.io.SinkFailure;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.xerial.snappy.Snappy;

/**
 * The first load of a large corpus as Milvus bulk-import files instead of upserts: the records go
 * through the same dimension and finite-number check as the upsert path and are written as Parquet
 * files (one per bundle, through Beam's {@link FileIO}, so a retried bundle leaves no second copy)
 * with exactly the fields an upsert fills, so that Milvus's import loads them into the collection
 * the run checked. Parquet is what Milvus's own bulk writers make: a VARCHAR is a string column,
 * INT64 an int64, the FLOAT_VECTOR a list of floats, and the BM25 function's output is left to
 * the server.
 *
 * <p>Pages are compressed with Snappy, as pyarrow (and so pymilvus's bulk writer) does by default,
 * through {@link SnappyOnly}: parquet-java's own codec factory loads Hadoop, which pagebeam does not
 * ship. Milvus takes files up to 16 GB and 1,024 files an import.
 */
public final class MilvusBulkFiles extends PTransform<PCollection<VectorRecord>, PCollection<SinkFailure>> {
  /** The files' names: {@code vectors-00003-of-00012.parquet} and the like. */
  public static final String PREFIX = "vectors";
  public static final String SUFFIX = ".parquet";

  private final String directory;
  private final List<String> fields;
  private final int dimension;
  private final String target;

  private MilvusBulkFiles(String directory, List<String> fields, int dimension, String target) {
    this.directory = Objects.requireNonNull(directory);
    this.fields = List.copyOf(fields);
    this.dimension = dimension;
    this.target = target;
  }

  /**
   * Checks at launch that the bulk files can be made and imported: the collection has only fields
   * pagebeam fills and holds no records yet (an import adds rows; it does not replace them by id as
   * an upsert does), and the directory holds no bulk files of an earlier run (they would be
   * imported twice). Returns the write for the run.
   */
  public static MilvusBulkFiles prepare(MilvusConnector connector, String directory, int dimension)
      throws IOException {
    List<String> fields;
    try (MilvusStore store = new MilvusStore(connector)) {
      fields = store.importFields();
      long records = store.count();
      if (records > 0) {
        throw new IllegalArgumentException(connector.describeTarget() + " holds " + records + " records: bulk"
            + " import is for the first load into an empty collection (an import adds rows, it does not replace"
            + " them by id). Run without --milvusBulk to upsert, or --recreate to start the collection over.");
      }
    } catch (StoreException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    List<MatchResult.Metadata> earlier = existingFiles(directory);
    if (!earlier.isEmpty()) {
      throw new IllegalArgumentException("--milvusBulk=" + directory + " already holds " + earlier.size()
          + " bulk files of an earlier run (" + earlier.get(0).resourceId() + ", ...): import or remove them"
          + " first, or give another directory");
    }
    return new MilvusBulkFiles(directory, fields, dimension, connector.describeTarget());
  }

  /** The bulk files in a directory, as this transform names them. */
  public static List<MatchResult.Metadata> existingFiles(String directory) throws IOException {
    String pattern = directory.replaceAll("/+$", "") + "/" + PREFIX + "-*" + SUFFIX;
    MatchResult r = FileSystems.match(List.of(pattern), EmptyMatchTreatment.ALLOW).get(0);
    return r.status() == MatchResult.Status.OK ? r.metadata() : List.of();
  }

  public List<String> fields() {
    return fields;
  }

  @Override
  public PCollection<SinkFailure> expand(PCollection<VectorRecord> records) {
    PCollectionTuple checked = CheckDimensionFn.check(records, dimension, target);
    checked.get(CheckDimensionFn.OK).apply("WriteParquet", FileIO.<VectorRecord>write()
        .via(new ParquetRows(fields))
        .to(directory)
        .withPrefix(PREFIX)
        .withSuffix(SUFFIX));
    return checked.get(CheckDimensionFn.FAILURES);
  }

  /** The Parquet schema of the fields: what pymilvus's bulk writer declares for the same collection. */
  static MessageType schema(List<String> fields) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (String field : fields) {
      switch (MilvusFields.kind(field)) {
        case FLOAT_VECTOR:
          b.optionalList().optionalElement(PrimitiveTypeName.FLOAT).named(field);
          break;
        case INT64:
          b.optional(PrimitiveTypeName.INT64).named(field);
          break;
        default:
          b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(field);
      }
    }
    return b.named("schema");
  }

  /** One Parquet file per bundle; Beam owns the channel, the writer only its footer. */
  static final class ParquetRows implements FileIO.Sink<VectorRecord> {
    private static final long serialVersionUID = 1L;
    /** Rows buffered before a row group is written: bounds each open file's memory. */
    private static final int ROW_GROUP_BYTES = 32 << 20;

    private final List<String> fields;
    private transient ParquetWriter<VectorRecord> writer;

    ParquetRows(List<String> fields) {
      this.fields = List.copyOf(fields);
    }

    @Override
    public void open(WritableByteChannel channel) throws IOException {
      writer = new RowsWriter(new ChannelFile(channel), fields)
          .withConf(new PlainParquetConfiguration())
          .withCodecFactory(SnappyOnly.INSTANCE)
          .withCompressionCodec(CompressionCodecName.SNAPPY)
          .withRowGroupSize(ROW_GROUP_BYTES)
          .build();
    }

    @Override
    public void write(VectorRecord record) throws IOException {
      writer.write(record);
      SinkCounters.vectorsWritten.inc();
    }

    @Override
    public void flush() throws IOException {
      writer.close();
    }
  }

  /**
   * Writes a record's fields straight into Parquet's columns (the {@code example} API's groups
   * cost an object per vector element). parquet-java's builders also name Hadoop's Configuration;
   * that overload is never called here.
   */
  private static final class RowsWriter extends ParquetWriter.Builder<VectorRecord, RowsWriter> {
    private final List<String> fields;

    RowsWriter(OutputFile file, List<String> fields) {
      super(file);
      this.fields = fields;
    }

    @Override
    protected RowsWriter self() {
      return this;
    }

    @Override
    protected WriteSupport<VectorRecord> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
      return new Rows(fields);
    }

    @Override
    protected WriteSupport<VectorRecord> getWriteSupport(ParquetConfiguration conf) {
      return new Rows(fields);
    }
  }

  private static final class Rows extends WriteSupport<VectorRecord> {
    private final List<String> fields;
    private final MessageType schema;
    private RecordConsumer out;

    Rows(List<String> fields) {
      this.fields = fields;
      this.schema = schema(fields);
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration conf) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration conf) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(VectorRecord record) {
      out.startMessage();
      for (int i = 0; i < fields.size(); i++) {
        String field = fields.get(i);
        Object value = MilvusFields.value(field, record);
        out.startField(field, i);
        if (value instanceof float[]) {
          // the three-level LIST: a repeated group "list" of one optional "element" each
          out.startGroup();
          out.startField("list", 0);
          for (float f : (float[]) value) {
            out.startGroup();
            out.startField("element", 0);
            out.addFloat(f);
            out.endField("element", 0);
            out.endGroup();
          }
          out.endField("list", 0);
          out.endGroup();
        } else if (value instanceof Long) {
          out.addLong((Long) value);
        } else {
          out.addBinary(Binary.fromString((String) value));
        }
        out.endField(field, i);
      }
      out.endMessage();
    }
  }

  /**
   * Parquet's page codecs without Hadoop: Snappy's raw block format (what Parquet's SNAPPY is)
   * through snappy-java, and no compression. parquet-java's {@code CodecFactory} reaches Hadoop's
   * compressor classes even for these.
   */
  static final class SnappyOnly implements CompressionCodecFactory {
    static final SnappyOnly INSTANCE = new SnappyOnly();

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      if (codec != CompressionCodecName.SNAPPY && codec != CompressionCodecName.UNCOMPRESSED) {
        throw new IllegalArgumentException("only Snappy or no compression: " + codec);
      }
      return new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
          return codec == CompressionCodecName.SNAPPY ? BytesInput.from(Snappy.compress(bytes.toByteArray())) : bytes;
        }

        @Override
        public CompressionCodecName getCodecName() {
          return codec;
        }

        @Override
        public void release() {}
      };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      throw new UnsupportedOperationException("pagebeam writes bulk files; it does not read them");
    }

    @Override
    public void release() {}
  }

  /** A Parquet output over the channel Beam opened; closing it leaves the channel to Beam. */
  private static final class ChannelFile implements OutputFile {
    private final WritableByteChannel channel;

    ChannelFile(WritableByteChannel channel) {
      this.channel = channel;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      OutputStream out = Channels.newOutputStream(channel);
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }

        @Override
        public void close() throws IOException {
          out.flush();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}

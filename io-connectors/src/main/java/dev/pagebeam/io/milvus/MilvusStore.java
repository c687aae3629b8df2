package dev.pagebeam.io.milvus;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.CollectionState;
import dev.pagebeam.io.store.CollectionVersions;
import dev.pagebeam.io.store.ManifestEntry;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.StoreException;
import dev.pagebeam.io.store.VectorStore;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.common.clientenum.FunctionType;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.request.RenameCollectionReq;
import io.milvus.v2.service.utility.request.AlterAliasReq;
import io.milvus.v2.service.utility.request.CreateAliasReq;
import io.milvus.v2.service.utility.request.DropAliasReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.orm.iterator.QueryIterator;
import io.milvus.response.QueryResultsWrapper;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryIteratorReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.EmbeddedText;
import dev.pagebeam.io.store.Bm25Index;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Milvus collection through the Java SDK's v2 client. Records are upserted by their id (the
 * VARCHAR primary key); no flush is forced after writes (it makes tiny segments); counts are read
 * with strong consistency.
 */
final class MilvusStore implements VectorStore, CollectionVersions {
  static final String ID = "id";
  static final String VECTOR = "vector";
  static final String DESCRIPTION_PREFIX = "pagebeam model=";
  /** The model is recorded as a collection property (Milvus Lite keeps no description) and in the description. */
  static final String MODEL_PROPERTY = "pagebeam.model";
  private static final int PREVIEW = MilvusFields.PREVIEW;
  private static final int TEXT = MilvusFields.TEXT;
  private static final int PATH = MilvusFields.PATH;
  /** Sources per delete request: at most 100 x 4 KB of filter expression. */
  private static final int DELETE_SOURCES = 100;

  /** Fields added after the first release: written only to collections that have them. */
  static final List<String> OPTIONAL_FIELDS = List.of("thumbnail", "text_source", "sparse", "lexical");
  /** The text's analyzed terms, BM25's input (collections made before it run BM25 over "text" itself). */
  private static final String LEXICAL = "lexical";
  /** The BM25 term weights of the text, made by the server's BM25 function (never written by us). */
  static final String SPARSE = "sparse";
  static final List<String> HIT_FIELDS = List.of("type", "source", "page", "preview", "ref", "text");

  private final MilvusConnector target;
  private MilvusClientV2 client;
  private List<String> optionalFields;

  /** Set once this store has made sure the collection is loaded for reads. */
  private boolean loaded;

  /** Set once the manifest collection is known to exist and be loaded. */
  private boolean manifestReady;

  /** The collection the target's name is, or names as an alias (reindex), once known. */
  private String resolved;

  MilvusStore(MilvusConnector target) {
    this.target = target;
  }

  private MilvusClientV2 client() throws StoreException {
    if (client == null) {
      try {
        ConnectConfig.ConnectConfigBuilder config = ConnectConfig.builder()
            .uri(target.uri())
            .dbName(target.database())
            .connectTimeoutMs(5_000)
            .rpcDeadlineMs(120_000)
            .secure(target.tls());
        // resolved here, on the worker, and never kept in a field of anything serialized
        String token = target.token().resolve();
        if (!token.isEmpty()) {
          config.token(token);
        }
        client = new MilvusClientV2(config.build());
        // The SDK would retry each call up to 75 times (about 3 minutes against a dead server)
        // inside the sink's own --sinkRetrySeconds budget: one attempt here, one budget there.
        client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
      } catch (RuntimeException e) {
        throw classify("connecting", e);
      }
    }
    return client;
  }

  /**
   * True when the server is Milvus Lite (its version reads {@code milvus_lite-3.2.2}). Lite loses
   * acknowledged writes of concurrent writers to a collection when it is killed: measured here with
   * pymilvus on 3.2.2, two writers of 16-row upserts had 14,976 rows acknowledged and 1,920 of them
   * present after a SIGKILL and a restart; one writer had all of its 12,928.
   */
  public boolean isMilvusLite() throws IOException {
    try {
      return client().getServerVersion().startsWith("milvus_lite");
    } catch (RuntimeException e) {
      throw classify("asking the server's version", e);
    }
  }

  @Override
  public CollectionState describe() throws IOException {
    try {
      if (!client().hasCollection(HasCollectionReq.builder().collectionName(target.collection()).build())) {
        return CollectionState.absent();
      }
      DescribeCollectionResp d = client().describeCollection(
          DescribeCollectionReq.builder().collectionName(target.collection()).build());
      resolved = d.getCollectionName();
      Integer dimension = null;
      List<String> fields = new ArrayList<>();
      for (CreateCollectionReq.FieldSchema f : d.getCollectionSchema().getFieldSchemaList()) {
        fields.add(f.getName());
        if (f.getDataType() == DataType.FloatVector) {
          dimension = f.getDimension();
        }
      }
      if (!fields.containsAll(List.of(ID, VECTOR, "text", "source", "page"))) {
        return CollectionState.incompatible(dimension, "was not created by pagebeam: its fields are " + fields);
      }
      String model = d.getProperties() == null ? null : d.getProperties().get(MODEL_PROPERTY);
      String description = d.getDescription();
      if (model == null && description != null && description.startsWith(DESCRIPTION_PREFIX)) {
        model = description.substring(DESCRIPTION_PREFIX.length()).split(" ", 2)[0];
      }
      return CollectionState.present(dimension, model);
    } catch (RuntimeException e) {
      throw classify("describing the collection", e);
    }
  }

  @Override
  public void create(int dimension, String model) throws IOException {
    optionalFields = null;
    resolved = target.collection();
    try {
      CreateCollectionReq.CollectionSchema schema = client().createSchema();
      schema.addField(AddFieldReq.builder().fieldName(ID).dataType(DataType.VarChar).maxLength(64)
          .isPrimaryKey(true).autoID(false).build());
      schema.addField(AddFieldReq.builder().fieldName(VECTOR).dataType(DataType.FloatVector).dimension(dimension)
          .build());
      for (String field : List.of("document_id", "content_hash")) {
        schema.addField(AddFieldReq.builder().fieldName(field).dataType(DataType.VarChar).maxLength(64).build());
      }
      schema.addField(AddFieldReq.builder().fieldName("type").dataType(DataType.VarChar).maxLength(32).build());
      schema.addField(AddFieldReq.builder().fieldName("model").dataType(DataType.VarChar).maxLength(256).build());
      schema.addField(AddFieldReq.builder().fieldName("source").dataType(DataType.VarChar).maxLength(PATH).build());
      schema.addField(AddFieldReq.builder().fieldName("ref").dataType(DataType.VarChar).maxLength(PATH).build());
      schema.addField(AddFieldReq.builder().fieldName("page").dataType(DataType.Int64).build());
      schema.addField(AddFieldReq.builder().fieldName("preview").dataType(DataType.VarChar).maxLength(PREVIEW).build());
      schema.addField(AddFieldReq.builder().fieldName("text").dataType(DataType.VarChar).maxLength(TEXT).build());
      // BM25 runs on the server over the text's terms as the file sink's Lucene EnglishAnalyzer makes
      // them (stop words dropped, stemmed): Milvus Lite's analyzer only tokenizes, and with the terms
      // made here every Milvus matches "installing" to "install" as the file sink does
      schema.addField(AddFieldReq.builder().fieldName(LEXICAL).dataType(DataType.VarChar).maxLength(TEXT)
          .enableAnalyzer(true).build());
      schema.addField(AddFieldReq.builder().fieldName(SPARSE).dataType(DataType.SparseFloatVector).build());
      schema.addFunction(CreateCollectionReq.Function.builder().name("text_bm25").functionType(FunctionType.BM25)
          .inputFieldNames(List.of(LEXICAL)).outputFieldNames(List.of(SPARSE)).build());
      schema.addField(AddFieldReq.builder().fieldName("thumbnail").dataType(DataType.VarChar).maxLength(PATH).build());
      schema.addField(AddFieldReq.builder().fieldName("text_source").dataType(DataType.VarChar).maxLength(16).build());
      IndexParam index = IndexParam.builder().fieldName(VECTOR).indexType(IndexParam.IndexType.HNSW)
          .metricType(IndexParam.MetricType.COSINE).extraParams(Map.of("M", 16, "efConstruction", 200)).build();
      IndexParam bm25 = IndexParam.builder().fieldName(SPARSE).indexType(IndexParam.IndexType.SPARSE_INVERTED_INDEX)
          .metricType(IndexParam.MetricType.BM25).build();
      client().createCollection(CreateCollectionReq.builder()
          .collectionName(target.collection())
          .description(DESCRIPTION_PREFIX + model + " dimension=" + dimension)
          .property(MODEL_PROPERTY, model)
          .collectionSchema(schema)
          .indexParams(List.of(index, bm25))
          .consistencyLevel(ConsistencyLevel.BOUNDED)
          .build());
      client().loadCollection(LoadCollectionReq.builder().collectionName(target.collection()).build());
      // a manifest left from a collection of the same name, dropped by hand, would skip every document
      dropManifest();
    } catch (RuntimeException e) {
      throw classify("creating the collection", e);
    }
  }

  private void dropManifest() throws StoreException {
    dropIfPresent(manifestName());
    manifestReady = false;
  }

  private void dropIfPresent(String collection) throws StoreException {
    if (client().hasCollection(HasCollectionReq.builder().collectionName(collection).build())) {
      client().dropCollection(DropCollectionReq.builder().collectionName(collection).build());
    }
  }

  /** Drops the collection; when the name is a reindex's alias, the alias and the collection it names. */
  @Override
  public void drop() throws IOException {
    optionalFields = null;
    loaded = false;
    try {
      String collection = collectionName();
      String manifest = manifestName();
      if (!collection.equals(target.collection())) {
        client().dropAlias(DropAliasReq.builder().alias(target.collection()).build());
      }
      dropIfPresent(collection);
      dropIfPresent(manifest);
      manifestReady = false;
      resolved = null;
    } catch (RuntimeException e) {
      throw classify("dropping the collection", e);
    }
  }

  /** The collection the target's name is, or names as an alias; the name itself while it names nothing. */
  private String collectionName() throws StoreException {
    if (resolved == null) {
      try {
        if (!client().hasCollection(HasCollectionReq.builder().collectionName(target.collection()).build())) {
          return target.collection();
        }
        resolved = client().describeCollection(
            DescribeCollectionReq.builder().collectionName(target.collection()).build()).getCollectionName();
      } catch (RuntimeException e) {
        throw classify("describing the collection", e);
      }
    }
    return resolved;
  }

  @Override
  public int probeDimension(int dimension) throws IOException {
    Integer d = describe().dimension();
    if (d == null) {
      throw StoreException.fatal(describeTarget() + " has no float vector field", null);
    }
    return d;
  }

  /**
   * The fields a bulk-import file must hold for this collection, in the collection's order: every
   * field but the BM25 function's output. A collection with a field pagebeam does not fill, or of
   * another type, is refused: its import would fail on the server after the whole run.
   */
  List<String> importFields() throws IOException {
    CollectionState state = describe();
    if (!state.exists() || state.incompatibility() != null) {
      throw StoreException.fatal(describeTarget() + " is not a collection pagebeam can load bulk files into: "
          + (state.exists() ? state.incompatibility() : "it does not exist"), null);
    }
    List<String> fields = new ArrayList<>();
    try {
      DescribeCollectionResp d = client().describeCollection(
          DescribeCollectionReq.builder().collectionName(target.collection()).build());
      for (CreateCollectionReq.FieldSchema f : d.getCollectionSchema().getFieldSchemaList()) {
        if (f.getName().equals(SPARSE)) {
          continue;
        }
        if (!MilvusFields.fills(f.getName()) || f.getDataType() != MilvusFields.kind(f.getName()).type) {
          throw StoreException.fatal(describeTarget() + " has a field '" + f.getName() + "' (" + f.getDataType()
              + ") that pagebeam does not fill: bulk files for it would fail to import", null);
        }
        fields.add(f.getName());
      }
    } catch (RuntimeException e) {
      throw classify("describing the collection", e);
    }
    return fields;
  }

  /** Which of {@link #OPTIONAL_FIELDS} the collection has (one describe per store). */
  private List<String> optionalFields() throws StoreException {
    if (optionalFields == null) {
      try {
        List<String> present = new ArrayList<>();
        DescribeCollectionResp d = client().describeCollection(
            DescribeCollectionReq.builder().collectionName(target.collection()).build());
        for (CreateCollectionReq.FieldSchema f : d.getCollectionSchema().getFieldSchemaList()) {
          if (OPTIONAL_FIELDS.contains(f.getName())) {
            present.add(f.getName());
          }
        }
        optionalFields = present;
      } catch (RuntimeException e) {
        throw classify("describing the collection", e);
      }
    }
    return optionalFields;
  }

  @Override
  public void upsert(List<VectorRecord> records) throws IOException {
    List<String> fields = MilvusFields.written(optionalFields());
    List<JsonObject> rows = new ArrayList<>(records.size());
    for (VectorRecord r : records) {
      JsonObject row = new JsonObject();
      for (String field : fields) {
        Object value = MilvusFields.value(field, r);
        if (value instanceof float[]) {
          float[] vector = (float[]) value;
          JsonArray v = new JsonArray(vector.length);
          for (float f : vector) {
            v.add(f);
          }
          row.add(field, v);
        } else if (value instanceof Long) {
          row.addProperty(field, (Long) value);
        } else {
          row.addProperty(field, (String) value);
        }
      }
      rows.add(row);
    }
    try {
      client().upsert(UpsertReq.builder().collectionName(target.collection()).data(rows).build());
    } catch (RuntimeException e) {
      throw classify("upserting " + records.size() + " records", e);
    }
  }

  /**
   * A client for queries and searches. A collection is released when the server restarts (a
   * rerun after an outage finds it so), and a released collection refuses reads; loading a loaded
   * one costs nothing, so every store loads once before its first read.
   */
  private MilvusClientV2 reader() throws StoreException {
    MilvusClientV2 c = client();
    if (!loaded) {
      try {
        c.loadCollection(LoadCollectionReq.builder().collectionName(target.collection()).build());
      } catch (RuntimeException e) {
        throw classify("loading the collection", e);
      }
      loaded = true;
    }
    return c;
  }

  @Override
  public long count() throws IOException {
    try {
      QueryResp r = reader().query(QueryReq.builder().collectionName(target.collection()).filter("")
          .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build());
      return ((Number) r.getQueryResults().get(0).getEntity().get("count(*)")).longValue();
    } catch (RuntimeException e) {
      throw classify("counting", e);
    }
  }

  @Override
  public java.util.Set<String> existing(java.util.Collection<String> ids) throws IOException {
    java.util.Set<String> found = new java.util.HashSet<>();
    List<String> all = new ArrayList<>(ids);
    try {
      for (int i = 0; i < all.size(); i += 500) {
        List<Object> slice = new ArrayList<>(all.subList(i, Math.min(all.size(), i + 500)));
        QueryResp r = reader().query(QueryReq.builder().collectionName(target.collection()).ids(slice)
            .outputFields(List.of(ID)).consistencyLevel(ConsistencyLevel.STRONG).build());
        for (QueryResp.QueryResult row : r.getQueryResults()) {
          found.add(String.valueOf(row.getEntity().get(ID)));
        }
      }
      return found;
    } catch (RuntimeException e) {
      throw classify("looking up ids", e);
    }
  }

  /**
   * The manifest lives in a collection of its own beside the records, {@code NAME_manifest}: one row
   * per document (a key hashed from the source, the source, document id, settings fingerprint and
   * vector count) and the two-number vector field Milvus requires of every collection.
   */
  String manifestName() throws StoreException {
    return collectionName() + MANIFEST_SUFFIX;
  }

  private static final String MANIFEST_SUFFIX = "_manifest";

  private MilvusClientV2 manifest() throws StoreException {
    MilvusClientV2 c = client();
    if (!manifestReady) {
      try {
        if (!c.hasCollection(HasCollectionReq.builder().collectionName(manifestName()).build())) {
          CreateCollectionReq.CollectionSchema schema = c.createSchema();
          schema.addField(AddFieldReq.builder().fieldName(ID).dataType(DataType.VarChar).maxLength(64)
              .isPrimaryKey(true).autoID(false).build());
          schema.addField(AddFieldReq.builder().fieldName(VECTOR).dataType(DataType.FloatVector).dimension(2).build());
          schema.addField(AddFieldReq.builder().fieldName("source").dataType(DataType.VarChar).maxLength(PATH)
              .build());
          for (String field : List.of("document_id", "settings")) {
            schema.addField(AddFieldReq.builder().fieldName(field).dataType(DataType.VarChar).maxLength(64).build());
          }
          schema.addField(AddFieldReq.builder().fieldName("vectors").dataType(DataType.Int64).build());
          c.createCollection(CreateCollectionReq.builder().collectionName(manifestName())
              .description("pagebeam manifest of " + collectionName()).collectionSchema(schema)
              .indexParams(List.of(IndexParam.builder().fieldName(VECTOR).indexType(IndexParam.IndexType.FLAT)
                  .metricType(IndexParam.MetricType.L2).build()))
              .consistencyLevel(ConsistencyLevel.STRONG).build());
        }
        c.loadCollection(LoadCollectionReq.builder().collectionName(manifestName()).build());
      } catch (RuntimeException e) {
        throw classify("opening the manifest", e);
      }
      manifestReady = true;
    }
    return c;
  }

  private static final List<String> MANIFEST_FIELDS = List.of("source", "document_id", "settings", "vectors");

  private static ManifestEntry entry(Map<String, Object> row) {
    return new ManifestEntry(String.valueOf(row.get("source")), String.valueOf(row.get("document_id")),
        String.valueOf(row.get("settings")), ((Number) row.get("vectors")).longValue());
  }

  @Override
  public Map<String, ManifestEntry> manifestEntries(java.util.Collection<String> sources) throws IOException {
    Map<String, ManifestEntry> found = new java.util.HashMap<>();
    List<String> all = new ArrayList<>(sources);
    try {
      for (int i = 0; i < all.size(); i += 500) {
        List<Object> keys = new ArrayList<>();
        all.subList(i, Math.min(all.size(), i + 500)).forEach(source -> keys.add(ManifestEntry.key(source)));
        QueryResp r = manifest().query(QueryReq.builder().collectionName(manifestName()).ids(keys)
            .outputFields(MANIFEST_FIELDS).consistencyLevel(ConsistencyLevel.STRONG).build());
        for (QueryResp.QueryResult row : r.getQueryResults()) {
          ManifestEntry e = entry(row.getEntity());
          found.put(e.source(), e);
        }
      }
      return found;
    } catch (RuntimeException e) {
      throw classify("reading the manifest", e);
    }
  }

  @Override
  public void putManifestEntries(List<ManifestEntry> entries) throws IOException {
    try {
      for (int i = 0; i < entries.size(); i += 500) {
        List<JsonObject> rows = new ArrayList<>();
        for (ManifestEntry e : entries.subList(i, Math.min(entries.size(), i + 500))) {
          JsonObject row = new JsonObject();
          row.addProperty(ID, e.key());
          JsonArray v = new JsonArray(2);
          v.add(0f);
          v.add(0f);
          row.add(VECTOR, v);
          row.addProperty("source", MilvusFields.clip(e.source(), PATH));
          row.addProperty("document_id", e.documentId());
          row.addProperty("settings", e.settings());
          row.addProperty("vectors", e.vectors());
          rows.add(row);
        }
        manifest().upsert(UpsertReq.builder().collectionName(manifestName()).data(rows).build());
      }
    } catch (RuntimeException e) {
      throw classify("writing the manifest", e);
    }
  }

  @Override
  public void removeManifestEntries(java.util.Collection<String> sources) throws IOException {
    List<String> all = new ArrayList<>(sources);
    try {
      for (int i = 0; i < all.size(); i += 500) {
        List<Object> keys = new ArrayList<>();
        all.subList(i, Math.min(all.size(), i + 500)).forEach(source -> keys.add(ManifestEntry.key(source)));
        manifest().delete(DeleteReq.builder().collectionName(manifestName()).ids(keys).build());
      }
    } catch (RuntimeException e) {
      throw classify("removing manifest entries", e);
    }
  }

  @Override
  public void forEachManifestEntry(java.util.function.Consumer<ManifestEntry> each) throws IOException {
    try {
      // an iterator pages by primary key: no offset window (Milvus caps offset + limit at 16,384)
      QueryIterator it = manifest().queryIterator(QueryIteratorReq.builder().collectionName(manifestName())
          .outputFields(MANIFEST_FIELDS).batchSize(1000).consistencyLevel(ConsistencyLevel.STRONG).build());
      try {
        for (List<QueryResultsWrapper.RowRecord> page = it.next(); !page.isEmpty(); page = it.next()) {
          for (QueryResultsWrapper.RowRecord row : page) {
            each.accept(entry(row.getFieldValues()));
          }
        }
      } finally {
        it.close();
      }
    } catch (RuntimeException e) {
      throw classify("listing the manifest", e);
    }
  }

  /** One delete request per {@link #DELETE_SOURCES} documents, by a {@code source in [...]} filter. */
  @Override
  public void deleteDocuments(java.util.Collection<String> sources) throws IOException {
    List<String> all = new ArrayList<>(sources);
    for (int i = 0; i < all.size(); i += DELETE_SOURCES) {
      List<String> some = all.subList(i, Math.min(all.size(), i + DELETE_SOURCES));
      StringBuilder filter = new StringBuilder("source in [");
      for (int j = 0; j < some.size(); j++) {
        filter.append(j == 0 ? "" : ", ").append(quoted(some.get(j)));
      }
      try {
        client().delete(DeleteReq.builder().collectionName(target.collection()).filter(filter.append(']').toString())
            .build());
      } catch (RuntimeException e) {
        throw classify("deleting the records of " + some.size() + " documents (" + some.get(0) + ", ...)", e);
      }
    }
  }

  /**
   * A source as a string literal of Milvus's filter expressions, clipped as it is stored: a
   * backslash, a quote and the line breaks a Linux path may hold are escaped.
   */
  private static String quoted(String source) {
    return "\"" + MilvusFields.clip(source, PATH).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
        .replace("\r", "\\r") + "\"";
  }

  /** Picks text chunks at offsets spread over the first 16,384 rows (Milvus's offset window). */
  @Override
  public Map<String, String> sampleTexts(int n, long chunks) throws IOException {
    long window = Math.min(chunks, 16_383);
    Map<String, String> texts = new java.util.LinkedHashMap<>();
    try {
      for (int i = 0; i < n && window > 0; i++) {
        QueryResp r = reader().query(QueryReq.builder().collectionName(target.collection())
            .filter("type == \"text_chunk\"").offset(window * i / n).limit(1).outputFields(List.of(ID, "text"))
            .consistencyLevel(ConsistencyLevel.STRONG).build());
        for (QueryResp.QueryResult row : r.getQueryResults()) {
          texts.put(String.valueOf(row.getEntity().get(ID)), String.valueOf(row.getEntity().get("text")));
        }
      }
      return texts;
    } catch (RuntimeException e) {
      throw classify("sampling records", e);
    }
  }

  @Override
  public CollectionVersions versions() {
    return this;
  }

  @Override
  public java.util.SortedMap<Integer, String> byNumber() throws IOException {
    try {
      return CollectionVersions.versionsOf(target.collection(), client().listCollections().getCollectionNames());
    } catch (RuntimeException e) {
      throw classify("listing collections", e);
    }
  }

  @Override
  public String live() throws IOException {
    resolved = null;
    return describe().exists() ? resolved : null;
  }

  /**
   * Moves the alias: atomic, a search sees the old collection or the new one, never none. The first
   * reindex of a name that is a collection renames it {@code previousName} and creates the alias in
   * its place; between the two the name resolves to nothing.
   */
  @Override
  public Switched switchTo(String version, String previousName) throws IOException {
    String name = target.collection();
    try {
      String live = live();
      if (live != null && !live.equals(name)) {
        client().alterAlias(AlterAliasReq.builder().alias(name).collectionName(version).build());
        resolved = version;
        return new Switched(live, true, "alias " + name + " moved from " + live + " to " + version, 0);
      }
      long started = System.nanoTime();
      if (live != null) {
        client().renameCollection(RenameCollectionReq.builder().collectionName(name).newCollectionName(previousName)
            .build());
        try {
          client().createAlias(CreateAliasReq.builder().alias(name).collectionName(version).build());
        } catch (RuntimeException e) {
          client().renameCollection(RenameCollectionReq.builder().collectionName(previousName)
              .newCollectionName(name).build());
          throw e;
        }
      } else {
        client().createAlias(CreateAliasReq.builder().alias(name).collectionName(version).build());
      }
      long unresolved = live == null ? 0 : (System.nanoTime() - started) / 1_000_000;
      String manifest = name + MANIFEST_SUFFIX;
      if (live != null && client().hasCollection(HasCollectionReq.builder().collectionName(manifest).build())) {
        client().renameCollection(RenameCollectionReq.builder().collectionName(manifest)
            .newCollectionName(previousName + MANIFEST_SUFFIX).build());
      }
      resolved = version;
      loaded = false;
      manifestReady = false;
      return new Switched(live == null ? null : previousName, true, live == null
          ? "alias " + name + " created for " + version
          : name + " renamed " + previousName + ", then alias " + name + " created for " + version, unresolved);
    } catch (RuntimeException e) {
      throw classify("switching " + name + " to " + version, e);
    }
  }

  @Override
  public void dropVersion(String name) throws IOException {
    if (name.equals(target.collection()) || name.equals(live())) {
      throw new IllegalArgumentException("refusing to drop the live collection " + name);
    }
    try {
      dropIfPresent(name);
      dropIfPresent(name + MANIFEST_SUFFIX);
    } catch (RuntimeException e) {
      throw classify("dropping " + name, e);
    }
  }

  @Override
  public List<SearchHit> search(float[] vector, int k) throws IOException {
    try {
      return hits(reader().search(SearchReq.builder().collectionName(target.collection()).annsField(VECTOR)
          .data(List.of(new FloatVec(vector))).limit(k).metricType(IndexParam.MetricType.COSINE)
          .outputFields(hitFields()).consistencyLevel(ConsistencyLevel.STRONG).build()));
    } catch (RuntimeException e) {
      throw classify("searching", e);
    }
  }

  /** The fields a hit shows: the thumbnail's only where the collection has it. */
  private List<String> hitFields() throws StoreException {
    List<String> fields = new ArrayList<>(HIT_FIELDS);
    if (optionalFields().contains("thumbnail")) {
      fields.add("thumbnail");
    }
    return fields;
  }

  private static List<SearchHit> hits(SearchResp r) {
    List<SearchHit> hits = new ArrayList<>();
    for (SearchResp.SearchResult h : r.getSearchResults().get(0)) {
      Map<String, Object> e = h.getEntity();
      hits.add(new SearchHit(String.valueOf(h.getId()), h.getScore(), String.valueOf(e.get("type")),
          String.valueOf(e.get("source")), ((Number) e.get("page")).intValue(), String.valueOf(e.get("preview")),
          String.valueOf(e.get("ref"))).withContent((String) e.get("text"), (String) e.get("thumbnail")));
    }
    return hits;
  }

  /** Collections pagebeam made before it added the BM25 field have none. */
  @Override
  public boolean hasLexical() {
    try {
      return optionalFields().contains(SPARSE);
    } catch (StoreException e) {
      return false;
    }
  }

  @Override
  public String noLexicalReason() {
    return describeTarget() + " was created without the BM25 field pagebeam now adds (an older pagebeam made it):"
        + " re-embed it with pagebeam reindex to get lexical and hybrid search, or use --mode=dense";
  }

  /** Full-text search by the server's BM25 function over the text field. */
  @Override
  public List<SearchHit> searchText(String text, int k) throws IOException {
    if (!hasLexical()) {
      throw new UnsupportedOperationException(noLexicalReason());
    }
    String query = optionalFields().contains(LEXICAL) ? Bm25Index.terms(text) : text;
    if (query.isBlank()) {
      return List.of(); // only stop words: nothing to match, as on the file sink
    }
    try {
      // Milvus Lite reports BM25 scores negated (as a distance); the order is right either way
      List<SearchHit> hits = new ArrayList<>();
      for (SearchHit h : hits(reader().search(SearchReq.builder().collectionName(target.collection())
          .annsField(SPARSE).data(List.of(new EmbeddedText(query))).limit(k).metricType(IndexParam.MetricType.BM25)
          .outputFields(hitFields()).consistencyLevel(ConsistencyLevel.STRONG).build()))) {
        hits.add(h.withScore(Math.abs(h.score())));
      }
      return hits;
    } catch (RuntimeException e) {
      throw classify("searching the text", e);
    }
  }

  /**
   * Transient: the server is unreachable or timed out (gRPC UNAVAILABLE / DEADLINE_EXCEEDED come
   * through as RPC_ERROR or TIMEOUT). A dimension refusal and other parameter errors are not.
   */
  private StoreException classify(String what, RuntimeException e) {
    StoreException classified = classifyOnly(what, e);
    if (classified.isTransient()) {
      // The SDK's calls wait for a ready channel up to the 120 s RPC deadline; a new client fails its
      // connect within 5 s instead, so each retry against a dead server costs seconds, not minutes.
      // A restarted Milvus Lite also leaves the collection released: load it again before reading.
      close();
      loaded = false;
      manifestReady = false;
    }
    return classified;
  }

  private StoreException classifyOnly(String what, RuntimeException e) {
    String message = describeTarget() + ": " + what + " failed: " + e.getMessage();
    String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (e instanceof MilvusClientException) {
      ErrorCode code = ((MilvusClientException) e).getErrorCode();
      if (text.contains("dim") && (text.contains("mismatch") || text.contains("dimension"))) {
        return StoreException.dimensionMismatch(message);
      }
      if (code == ErrorCode.RPC_ERROR || code == ErrorCode.TIMEOUT || text.contains("unavailable")
          || text.contains("deadline")) {
        return StoreException.transientFailure(message, e);
      }
      if (code == ErrorCode.SERVER_ERROR && (text.contains("not ready") || text.contains("rate limit"))) {
        return StoreException.transientFailure(message, e);
      }
      return StoreException.fatal(message, e);
    }
    if (text.contains("unavailable") || text.contains("connect") || text.contains("deadline")) {
      return StoreException.transientFailure(message, e);
    }
    return StoreException.fatal(message, e);
  }

  @Override
  public String describeTarget() {
    return target.describeTarget();
  }

  @Override
  public void close() {
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // closing the channel at teardown: nothing useful to do with a failure
      }
      client = null;
    }
  }
}

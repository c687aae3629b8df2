package dev.pagebeam.io.chroma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pagebeam.io.VectorRecord;
import dev.pagebeam.io.store.CollectionState;
import dev.pagebeam.io.store.CollectionVersions;
import dev.pagebeam.io.store.ManifestEntry;
import dev.pagebeam.io.store.SearchHit;
import dev.pagebeam.io.store.StoreException;
import dev.pagebeam.io.store.VectorStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Chroma collection over Chroma's HTTP API v2 (java.net.http and Jackson: the Java client speaks
 * only the v1 API, which Chroma 1.x answers with 410 Gone). Records are upserted, never added:
 * Chroma's {@code add} silently ignores ids it already has.
 */
final class ChromaStore implements VectorStore, CollectionVersions {
  static final String MODEL_KEY = "pagebeam_model";
  static final String DIMENSION_KEY = "pagebeam_dimension";
  /**
   * What the records' {@code page} counts from. Collections made since pagebeam serve count from 0,
   * as LangChain's PDF loaders and the RAG front ends that read Chroma do (Open WebUI shows page + 1),
   * with the page as printed in {@code page_label}; older collections, without the key, count from 1.
   * pagebeam's own page numbers count from 1 everywhere: the store converts both ways.
   */
  static final String PAGE_BASE_KEY = "pagebeam_page_base";
  private static final String PROBE_ID = "__pagebeam_dimension_probe__";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChromaConnector target;
  private final HttpClient http;
  private final String base;
  private String collectionId;
  /** See {@link #PAGE_BASE_KEY}; known once the collection is. */
  private int pageBase = 1;
  private String manifestId;
  private int maxBatchSize;

  ChromaStore(ChromaConnector target) {
    this.target = target;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(target.connectTimeoutSeconds())).build();
    this.base = "http://" + target.host() + ":" + target.port() + "/api/v2/tenants/" + encode(target.tenant())
        + "/databases/" + encode(target.database());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public CollectionState describe() throws IOException {
    JsonNode c = send("GET", base + "/collections/" + encode(target.collection()), null, true);
    if (c == null) {
      return CollectionState.absent();
    }
    collectionId = c.get("id").asText();
    JsonNode metadata = c.path("metadata");
    pageBase = metadata.path(PAGE_BASE_KEY).asInt(1);
    Integer dimension = c.hasNonNull("dimension") ? c.get("dimension").asInt() : null;
    String model = metadata.hasNonNull(MODEL_KEY) ? metadata.get(MODEL_KEY).asText() : null;
    return CollectionState.present(dimension, model);
  }

  @Override
  public void create(int dimension, String model) throws IOException {
    ensureDatabase();
    ObjectNode body = JSON.createObjectNode();
    body.put("name", target.collection());
    body.putObject("configuration").putObject("hnsw").put("space", "cosine");
    ObjectNode metadata = body.putObject("metadata");
    metadata.put(MODEL_KEY, model);
    metadata.put(DIMENSION_KEY, dimension);
    metadata.put(PAGE_BASE_KEY, 0);
    body.put("get_or_create", false);
    // a manifest left from a collection of the same name, dropped by hand, would skip every document
    send("DELETE", base + "/collections/" + encode(manifestName()), null, true);
    manifestId = null;
    collectionId = send("POST", base + "/collections", body, false).get("id").asText();
    pageBase = 0;
  }

  private void ensureDatabase() throws IOException {
    String root = "http://" + target.host() + ":" + target.port() + "/api/v2/tenants/" + encode(target.tenant());
    if (send("GET", root + "/databases/" + encode(target.database()), null, true) == null) {
      ObjectNode body = JSON.createObjectNode();
      body.put("name", target.database());
      send("POST", root + "/databases", body, false);
    }
  }

  @Override
  public void drop() throws IOException {
    send("DELETE", base + "/collections/" + encode(target.collection()), null, true);
    send("DELETE", base + "/collections/" + encode(manifestName()), null, true);
    collectionId = null;
    manifestId = null;
  }

  @Override
  public int probeDimension(int dimension) throws IOException {
    float[] unit = new float[dimension];
    unit[0] = 1;
    VectorRecord probe = new VectorRecord(PROBE_ID, "-", "probe", "-", 0, null, "-", "-", "-", unit);
    upsert(List.of(probe));
    ObjectNode delete = JSON.createObjectNode();
    delete.putArray("ids").add(PROBE_ID);
    send("POST", base + "/collections/" + id() + "/delete", delete, false);
    CollectionState state = describe();
    return state.dimension() == null ? dimension : state.dimension();
  }

  /**
   * Upserts in requests of at most the server's {@code max_batch_size} (its pre-flight check; 5,461
   * on Chroma 1.0 with SQLite): the limit Chroma's clients keep to, though Chroma 1.0 itself does not
   * enforce it.
   */
  @Override
  public void upsert(List<VectorRecord> records) throws IOException {
    int max = maxBatchSize();
    for (int i = 0; i < records.size(); i += max) {
      upsertRequest(records.subList(i, Math.min(records.size(), i + max)));
    }
  }

  int maxBatchSize() throws IOException {
    if (maxBatchSize == 0) {
      JsonNode checks = send("GET", "http://" + target.host() + ":" + target.port() + "/api/v2/pre-flight-checks",
          null, true);
      int max = checks == null ? 0 : checks.path("max_batch_size").asInt(0);
      maxBatchSize = max > 0 ? max : Integer.MAX_VALUE;
    }
    return maxBatchSize;
  }

  private void upsertRequest(List<VectorRecord> records) throws IOException {
    String collection = id(); // first: the page base is the collection's
    ObjectNode body = JSON.createObjectNode();
    ArrayNode ids = body.putArray("ids");
    ArrayNode embeddings = body.putArray("embeddings");
    ArrayNode metadatas = body.putArray("metadatas");
    ArrayNode documents = body.putArray("documents");
    for (VectorRecord r : records) {
      ids.add(r.id());
      ArrayNode v = embeddings.addArray();
      for (float f : r.vector()) {
        v.add(f);
      }
      ObjectNode m = metadatas.addObject();
      m.put("document_id", r.documentId());
      m.put("source", r.source());
      // the file's name: what RAG front ends that read Chroma (Open WebUI) show as the citation
      m.put("name", fileName(r.source()));
      m.put("page", r.page() - 1 + pageBase);
      m.put("page_label", String.valueOf(r.page()));
      m.put("type", r.type());
      m.put("model", r.modelId());
      m.put("content_hash", r.contentHash());
      m.put("ref", r.ref());
      m.put("preview", r.preview(200));
      if (r.thumbnail() != null) {
        m.put("thumbnail", r.thumbnail());
      }
      if (r.textSource() != null) {
        m.put("text_source", r.textSource());
      }
      // every record has a document, empty for an image without text: readers of the collection
      // (Open WebUI) take documents to be strings
      documents.add(r.text() == null ? "" : r.text());
    }
    send("POST", base + "/collections/" + collection + "/upsert", body, false);
  }

  static String fileName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return source.substring(slash + 1);
  }

  @Override
  public long count() throws IOException {
    return send("GET", base + "/collections/" + id() + "/count", null, false).asLong();
  }

  @Override
  public java.util.Set<String> existing(java.util.Collection<String> ids) throws IOException {
    java.util.Set<String> found = new java.util.HashSet<>();
    List<String> all = new ArrayList<>(ids);
    for (int i = 0; i < all.size(); i += 500) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode slice = body.putArray("ids");
      all.subList(i, Math.min(all.size(), i + 500)).forEach(slice::add);
      body.putArray("include");
      JsonNode r = send("POST", base + "/collections/" + id() + "/get", body, false);
      r.path("ids").forEach(n -> found.add(n.asText()));
    }
    return found;
  }

  @Override
  public List<SearchHit> search(float[] vector, int k) throws IOException {
    return query(vector, k, null);
  }

  /** The nearest {@code n} records; their texts go into {@code texts} when it is not null. */
  private List<SearchHit> query(float[] vector, int n, List<String> texts) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode q = body.putArray("query_embeddings").addArray();
    for (float f : vector) {
      q.add(f);
    }
    body.put("n_results", n);
    body.putArray("include").add("metadatas").add("distances").add("documents");
    JsonNode r = send("POST", base + "/collections/" + id() + "/query", body, false);
    List<SearchHit> hits = new ArrayList<>();
    JsonNode ids = r.get("ids").get(0);
    for (int i = 0; i < ids.size(); i++) {
      JsonNode m = r.get("metadatas").get(0).get(i);
      double distance = r.get("distances").get(0).get(i).asDouble();
      hits.add(new SearchHit(ids.get(i).asText(), 1 - distance, m.path("type").asText(), m.path("source").asText(),
          m.path("page").asInt() + 1 - pageBase, m.path("preview").asText(), m.path("ref").asText())
          .withContent(r.path("documents").path(0).path(i).asText(""), m.path("thumbnail").asText("")));
      if (texts != null) {
        texts.add(r.path("documents").path(0).path(i).asText(""));
      }
    }
    return hits;
  }

  /** Dense candidates a hybrid search on Chroma re-ranks: Chroma 1.0 has no BM25 of its own. */
  static final int HYBRID_CANDIDATES = 100;

  @Override
  public boolean hasHybrid() {
    return true;
  }

  @Override
  public String noLexicalReason() {
    return describeTarget() + ": Chroma 1.0 has no BM25 or sparse vectors, so --mode=lexical needs the file sink or"
        + " Milvus; --mode=hybrid on Chroma ranks the " + HYBRID_CANDIDATES + " nearest records by BM25 as well"
        + " and fuses the two rankings";
  }

  /**
   * The best an honest client can do without a full-text index on the server: the {@link
   * #HYBRID_CANDIDATES} nearest records (or more for a deep fusion) ranked a second time by BM25 over
   * their texts (term statistics of those candidates). A record outside the dense candidates cannot
   * be found by its words alone.
   */
  @Override
  public dev.pagebeam.io.store.Rankings rankings(float[] vector, String text, int depth) throws IOException {
    int n = Math.max(HYBRID_CANDIDATES, depth);
    List<String> texts = new ArrayList<>();
    List<SearchHit> dense = query(vector, n, texts);
    try (dev.pagebeam.io.store.Bm25Index index = new dev.pagebeam.io.store.Bm25Index()) {
      for (int i = 0; i < dense.size(); i++) {
        index.add(dense.get(i), texts.get(i));
      }
      return new dev.pagebeam.io.store.Rankings(dense, index.search(text, n));
    }
  }

  /**
   * The manifest lives in a collection of its own beside the records, {@code NAME-manifest}: one
   * record per document, with a one-number embedding Chroma requires and the entry as metadata.
   */
  String manifestName() {
    return target.collection() + MANIFEST_SUFFIX;
  }

  private static final String MANIFEST_SUFFIX = "-manifest";

  private String manifestId() throws IOException {
    if (manifestId == null) {
      ObjectNode body = JSON.createObjectNode();
      body.put("name", manifestName());
      body.putObject("metadata").put("pagebeam_manifest_of", target.collection());
      body.put("get_or_create", true);
      manifestId = send("POST", base + "/collections", body, false).get("id").asText();
    }
    return manifestId;
  }

  @Override
  public java.util.Map<String, ManifestEntry> manifestEntries(java.util.Collection<String> sources)
      throws IOException {
    java.util.Map<String, ManifestEntry> found = new java.util.HashMap<>();
    List<String> all = new ArrayList<>(sources);
    for (int i = 0; i < all.size(); i += 500) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode ids = body.putArray("ids");
      all.subList(i, Math.min(all.size(), i + 500)).forEach(source -> ids.add(ManifestEntry.key(source)));
      body.putArray("include").add("metadatas");
      readEntries(send("POST", base + "/collections/" + manifestId() + "/get", body, false),
          e -> found.put(e.source(), e));
    }
    return found;
  }

  private static int readEntries(JsonNode r, java.util.function.Consumer<ManifestEntry> each) {
    JsonNode metadatas = r.path("metadatas");
    for (JsonNode m : metadatas) {
      each.accept(new ManifestEntry(m.path("source").asText(), m.path("document_id").asText(),
          m.path("settings").asText(), m.path("vectors").asLong()));
    }
    return metadatas.size();
  }

  @Override
  public void putManifestEntries(List<ManifestEntry> entries) throws IOException {
    for (int i = 0; i < entries.size(); i += 500) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode ids = body.putArray("ids");
      ArrayNode embeddings = body.putArray("embeddings");
      ArrayNode metadatas = body.putArray("metadatas");
      for (ManifestEntry e : entries.subList(i, Math.min(entries.size(), i + 500))) {
        ids.add(e.key());
        embeddings.addArray().add(1.0f);
        metadatas.addObject().put("source", e.source()).put("document_id", e.documentId())
            .put("settings", e.settings()).put("vectors", e.vectors());
      }
      send("POST", base + "/collections/" + manifestId() + "/upsert", body, false);
    }
  }

  @Override
  public void removeManifestEntries(java.util.Collection<String> sources) throws IOException {
    List<String> all = new ArrayList<>(sources);
    for (int i = 0; i < all.size(); i += 500) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode ids = body.putArray("ids");
      all.subList(i, Math.min(all.size(), i + 500)).forEach(source -> ids.add(ManifestEntry.key(source)));
      send("POST", base + "/collections/" + manifestId() + "/delete", body, false);
    }
  }

  @Override
  public void forEachManifestEntry(java.util.function.Consumer<ManifestEntry> each) throws IOException {
    for (int offset = 0; ; offset += 1000) {
      ObjectNode body = JSON.createObjectNode();
      body.put("limit", 1000);
      body.put("offset", offset);
      body.putArray("include").add("metadatas");
      if (readEntries(send("POST", base + "/collections/" + manifestId() + "/get", body, false), each) < 1000) {
        return;
      }
    }
  }

  /** One delete request per 100 documents, by a {@code $in} filter on their source. */
  @Override
  public void deleteDocuments(java.util.Collection<String> sources) throws IOException {
    List<String> all = new ArrayList<>(sources);
    for (int i = 0; i < all.size(); i += 100) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode in = body.putObject("where").putObject("source").putArray("$in");
      all.subList(i, Math.min(all.size(), i + 100)).forEach(in::add);
      send("POST", base + "/collections/" + id() + "/delete", body, false);
    }
  }

  /** Picks text chunks at offsets spread over the collection, one request each. */
  @Override
  public java.util.Map<String, String> sampleTexts(int n, long chunks) throws IOException {
    long count = chunks;
    java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
    for (int i = 0; i < n && count > 0; i++) {
      ObjectNode body = JSON.createObjectNode();
      body.putObject("where").putObject("type").put("$eq", "text_chunk");
      body.put("limit", 1);
      body.put("offset", count * i / n);
      body.putArray("include").add("documents");
      JsonNode r = send("POST", base + "/collections/" + id() + "/get", body, false);
      for (int j = 0; j < r.path("ids").size(); j++) {
        texts.put(r.get("ids").get(j).asText(), r.path("documents").get(j).asText());
      }
    }
    return texts;
  }

  @Override
  public CollectionVersions versions() {
    return this;
  }

  /** Lists every collection of the database, a page at a time, and keeps the versions of this one. */
  @Override
  public java.util.SortedMap<Integer, String> byNumber() throws IOException {
    List<String> names = new ArrayList<>();
    for (int offset = 0; ; offset += 100) {
      JsonNode page = send("GET", base + "/collections?limit=100&offset=" + offset, null, false);
      page.forEach(c -> names.add(c.path("name").asText()));
      if (page.size() < 100) {
        return CollectionVersions.versionsOf(target.collection(), names);
      }
    }
  }

  @Override
  public String live() throws IOException {
    return lookup(target.collection()) == null ? null : target.collection();
  }

  /**
   * Chroma has no aliases: the live collection is renamed {@code previousName}, then the version is
   * renamed to the live name; between the two answers the name resolves to nothing. Manifests are
   * renamed with their collections (outside that window: only an ingest, which the run lock keeps
   * out, reads them).
   */
  @Override
  public Switched switchTo(String version, String previousName) throws IOException {
    String name = target.collection();
    JsonNode versionCollection = lookup(version);
    if (versionCollection == null) {
      throw StoreException.fatal(describeTarget() + ": version " + version + " does not exist", null);
    }
    JsonNode live = lookup(name);
    long started = System.nanoTime();
    if (live != null) {
      renameIfPresent(name + MANIFEST_SUFFIX, previousName + MANIFEST_SUFFIX);
      started = System.nanoTime();
      try {
        rename(live, previousName);
      } catch (IOException e) {
        renameIfPresent(previousName + MANIFEST_SUFFIX, name + MANIFEST_SUFFIX);
        throw e;
      }
    }
    try {
      rename(versionCollection, name);
    } catch (IOException e) {
      if (live != null) {
        rename(live, name);
        renameIfPresent(previousName + MANIFEST_SUFFIX, name + MANIFEST_SUFFIX);
      }
      throw e;
    }
    long unresolved = live == null ? 0 : (System.nanoTime() - started) / 1_000_000;
    renameIfPresent(version + MANIFEST_SUFFIX, name + MANIFEST_SUFFIX);
    collectionId = null;
    manifestId = null;
    return new Switched(live == null ? null : previousName, false, live == null ? version + " renamed " + name
        : name + " renamed " + previousName + ", then " + version + " renamed " + name, unresolved);
  }

  @Override
  public void dropVersion(String name) throws IOException {
    if (name.equals(target.collection())) {
      throw new IllegalArgumentException("refusing to drop the live collection " + name);
    }
    send("DELETE", base + "/collections/" + encode(name), null, true);
    send("DELETE", base + "/collections/" + encode(name + MANIFEST_SUFFIX), null, true);
  }

  private JsonNode lookup(String name) throws IOException {
    return send("GET", base + "/collections/" + encode(name), null, true);
  }

  private void rename(JsonNode collection, String newName) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("new_name", newName);
    send("PUT", base + "/collections/" + collection.get("id").asText(), body, false);
  }

  private void renameIfPresent(String name, String newName) throws IOException {
    JsonNode c = lookup(name);
    if (c != null) {
      rename(c, newName);
    }
  }

  private String id() throws IOException {
    if (collectionId == null && !describe().exists()) {
      throw StoreException.fatal(describeTarget() + " does not exist", null);
    }
    return collectionId;
  }

  /**
   * Sends one request. Returns null for a 404 when {@code missingIsNull}. Connection failures,
   * timeouts and 5xx answers are transient; Chroma's dimension refusal and other 4xx are not.
   */
  private JsonNode send(String method, String url, JsonNode body, boolean missingIsNull) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(target.requestTimeoutSeconds()))
        .header("accept", "application/json");
    if (body != null) {
      request.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StoreException.transientFailure(describeTarget() + ": interrupted", e);
    } catch (IOException e) {
      throw StoreException.transientFailure(describeTarget() + " is unreachable: " + e, e);
    }
    int status = response.statusCode();
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (status == 404 && missingIsNull) {
      return null;
    }
    if (status >= 500) {
      throw StoreException.transientFailure(describeTarget() + " answered HTTP " + status + ": " + text, null);
    }
    if (status >= 400) {
      if (text.contains("expecting embedding with dimension")) {
        throw StoreException.dimensionMismatch(describeTarget() + ": " + text);
      }
      throw StoreException.fatal(describeTarget() + " answered HTTP " + status + " to " + method + ": " + text, null);
    }
    return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
  }

  @Override
  public String describeTarget() {
    return target.describeTarget();
  }

  @Override
  public void close() {
    // java.net.http.HttpClient has no close before Java 21; its threads end with the JVM.
  }
}

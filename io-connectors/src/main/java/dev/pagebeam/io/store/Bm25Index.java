package dev.pagebeam.io.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Exact BM25 over record texts, in memory, with Lucene's English analyzer (standard tokenizer,
 * lower case, English stop words, Porter stemming: "mutexes" finds "mutex") and its BM25 scorer
 * (k1 1.2, b 0.75). A query is its analyzed terms, any of which may match.
 */
public final class Bm25Index implements AutoCloseable {
  private static final String TEXT = "text";
  private static final String ORDINAL = "ordinal";
  /** Lucene's default limit of clauses in one query. */
  private static final int MAX_TERMS = 1000;

  private final Analyzer analyzer = new EnglishAnalyzer();
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final List<SearchHit> records = new ArrayList<>();
  private final IndexWriter writer;
  private DirectoryReader reader;

  public Bm25Index() throws IOException {
    writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
  }

  /** Adds one record, found by {@code text}; returns this. */
  public Bm25Index add(SearchHit record, String text) throws IOException {
    Document d = new Document();
    d.add(new StoredField(ORDINAL, records.size()));
    d.add(new TextField(TEXT, text == null ? "" : text, Field.Store.NO));
    writer.addDocument(d);
    records.add(record);
    return this;
  }

  /**
   * {@code text} as this index's analyzer sees it: its terms (lower case, stop words dropped, Porter
   * stems) joined by spaces. A sink whose server cannot stem (Milvus Lite's analyzer only
   * tokenizes) indexes these, so that its BM25 matches words as this index does.
   */
  public static String terms(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    try (TokenStream tokens = TERMS.tokenStream(TEXT, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(term);
      }
      tokens.end();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("analyzing a text in memory", e);
    }
    return out.toString();
  }

  /** The analyzer of {@link #terms}; Lucene analyzers reuse their token streams per thread. */
  private static final Analyzer TERMS = new EnglishAnalyzer();

  public int size() {
    return records.size();
  }

  /** The {@code k} best records for {@code query} by BM25, best first; their scores are BM25's. */
  public List<SearchHit> search(String query, int k) throws IOException {
    if (reader == null) {
      writer.commit();
      reader = DirectoryReader.open(directory);
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    int terms = 0;
    try (TokenStream tokens = analyzer.tokenStream(TEXT, query)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken() && terms < MAX_TERMS) {
        q.add(new TermQuery(new Term(TEXT, term.toString())), BooleanClause.Occur.SHOULD);
        terms++;
      }
      tokens.end();
    }
    List<SearchHit> hits = new ArrayList<>();
    if (terms == 0 || records.isEmpty()) {
      return hits;
    }
    IndexSearcher searcher = new IndexSearcher(reader);
    for (ScoreDoc s : searcher.search(q.build(), k).scoreDocs) {
      SearchHit r = records.get(searcher.storedFields().document(s.doc).getField(ORDINAL).numericValue().intValue());
      hits.add(r.withScore(s.score));
    }
    return hits;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
    writer.close();
    directory.close();
  }
}

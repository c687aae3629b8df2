package dev.pagebeam.transforms.model;

import dev.pagebeam.transforms.core.Hashes;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A model's HuggingFace tokenizer (through DJL) with the truncation and padding that
 * tokenizer.json may set switched off: pagebeam decides lengths itself and never cuts text
 * silently. Offsets are returned as Java string indices.
 */
public final class ModelTokenizer implements AutoCloseable {
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private final HuggingFaceTokenizer tokenizer;
  private final String fingerprint;
  private final int specialTokens;

  private ModelTokenizer(HuggingFaceTokenizer tokenizer, String fingerprint) {
    this.tokenizer = tokenizer;
    this.fingerprint = fingerprint;
    this.specialTokens = tokenizer.encode("", true, false).getIds().length;
  }

  public static ModelTokenizer load(ModelLocation model) throws IOException {
    if (!model.hasFile(TOKENIZER_FILE)) {
      throw new IOException("model " + model.describe() + " has no " + TOKENIZER_FILE);
    }
    return fromJson(model.readFile(TOKENIZER_FILE));
  }

  public static ModelTokenizer fromJson(byte[] tokenizerJson) throws IOException {
    DjlOffline.ensure();
    Map<String, String> options =
        Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options);
    return new ModelTokenizer(tokenizer, Hashes.sha256Hex(tokenizerJson).substring(0, 16));
  }

  /** Hash of tokenizer.json: part of chunk ids, since chunk boundaries depend on it. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Tokens the tokenizer adds around every sequence ([CLS] and [SEP] for BERT). */
  public int specialTokens() {
    return specialTokens;
  }

  /** Tokens of {@code text} without special tokens, with their spans as Java string indices. */
  public Tokens tokenize(String text) {
    Encoding encoding = tokenizer.encode(text, false, false);
    CharSpan[] spans = encoding.getCharTokenSpans();
    int n = spans.length;
    int[] starts = new int[n];
    int[] ends = new int[n];
    int[] toUtf16 = codePointToUtf16(text);
    for (int i = 0; i < n; i++) {
      // DJL reports offsets in code points; Java strings index UTF-16 units.
      starts[i] = toUtf16 == null ? spans[i].getStart() : toUtf16[spans[i].getStart()];
      ends[i] = toUtf16 == null ? spans[i].getEnd() : toUtf16[spans[i].getEnd()];
    }
    return new Tokens(starts, ends);
  }

  /** Length of the model input for {@code text}, special tokens included. */
  public int countWithSpecialTokens(String text) {
    return tokenizer.encode(text, true, false).getIds().length;
  }

  /** Ids and attention mask of {@code text} with special tokens, untruncated. */
  public Encoding encode(String text) {
    return tokenizer.encode(text, true, false);
  }

  /** Null when the text has no supplementary characters (code point index == char index). */
  private static int[] codePointToUtf16(String text) {
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints == text.length()) {
      return null;
    }
    int[] map = new int[codePoints + 1];
    int cp = 0;
    for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
      map[cp++] = i;
    }
    map[codePoints] = text.length();
    return map;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  /** Token spans of a text, as parallel arrays of start (inclusive) and end (exclusive) indices. */
  public static final class Tokens {
    private final int[] starts;
    private final int[] ends;

    public Tokens(int[] starts, int[] ends) {
      this.starts = starts;
      this.ends = ends;
    }

    public int size() {
      return starts.length;
    }

    public int start(int token) {
      return starts[token];
    }

    public int end(int token) {
      return ends[token];
    }
  }
}

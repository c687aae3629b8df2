package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.model.ModelTokenizer;
import dev.pagebeam.transforms.model.ModelTokenizer.Tokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a page's text into chunks of at most {@code maxTokens} model tokens (special tokens
 * included), cutting at a paragraph break where one lies in the second half of the window, else
 * at a sentence end, a line end, a word boundary, and only as a last resort between word pieces.
 * Consecutive chunks share up to {@code overlapTokens} tokens, starting on a word boundary.
 *
 * <p>Chunks are spans of the original text, so every token of the page lies in some chunk and a
 * chunk's text is exactly {@code pageText.substring(start, end)}.
 */
public final class TokenChunker {
  static final int TOKEN = 0;
  static final int WORD = 1;
  static final int LINE = 2;
  static final int SENTENCE = 3;
  static final int PARAGRAPH = 4;
  /** Bump when the algorithm changes: chunk ids depend on it. */
  private static final String ALGORITHM = "chunker-v1";

  private final ModelTokenizer tokenizer;
  private final int maxTokens;
  private final int overlapTokens;
  private final int budget;

  public TokenChunker(ModelTokenizer tokenizer, int maxTokens, int overlapTokens) {
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
    this.budget = maxTokens - tokenizer.specialTokens();
    if (budget < 8 || overlapTokens >= budget / 2 + 1) {
      throw new IllegalArgumentException("maxTokens=" + maxTokens + " leaves " + budget
          + " tokens after special tokens; need at least 8, and overlap (" + overlapTokens + ") at most half of it");
    }
  }

  /** Identifies the chunking (tokenizer, sizes, algorithm): part of every chunk id. */
  public String fingerprint() {
    return ALGORITHM + "/" + tokenizer.fingerprint() + "/" + maxTokens + "/" + overlapTokens;
  }

  /** A chunk: [charStart, charEnd) of the page text, and its model input length. */
  public static final class Chunk {
    public final int charStart;
    public final int charEnd;
    public final int tokenCount;

    Chunk(int charStart, int charEnd, int tokenCount) {
      this.charStart = charStart;
      this.charEnd = charEnd;
      this.tokenCount = tokenCount;
    }

    @Override
    public String toString() {
      return "[" + charStart + "," + charEnd + ")/" + tokenCount;
    }
  }

  public List<Chunk> chunk(String text) {
    Tokens tokens = tokenizer.tokenize(text);
    int n = tokens.size();
    List<Chunk> chunks = new ArrayList<>();
    if (n == 0) {
      return chunks;
    }
    int[] strength = cutStrengths(text, tokens);
    int start = 0;
    while (start < n) {
      int end = chooseEnd(strength, start, n);
      // Verify against the tokenizer itself: a cut inside a word can change how the text
      // tokenizes. Shrink until the chunk fits.
      int count;
      while (true) {
        String chunkText = text.substring(tokens.start(start), tokens.end(end - 1));
        count = tokenizer.countWithSpecialTokens(chunkText);
        if (count <= maxTokens || end - start <= 1) {
          break;
        }
        end--;
      }
      chunks.add(new Chunk(tokens.start(start), tokens.end(end - 1), count));
      if (end >= n) {
        break;
      }
      start = nextStart(strength, start, end);
    }
    return chunks;
  }

  private int chooseEnd(int[] strength, int start, int n) {
    int limit = Math.min(n, start + budget);
    if (limit == n) {
      return n;
    }
    for (int level = PARAGRAPH; level >= TOKEN; level--) {
      // Strong breaks only count when they leave the chunk at least half full.
      int lowest = level >= LINE ? start + budget / 2 : start + 1;
      for (int cut = limit; cut >= lowest; cut--) {
        if (strength[cut] >= level) {
          return cut;
        }
      }
    }
    return limit;
  }

  private int nextStart(int[] strength, int start, int end) {
    if (overlapTokens == 0) {
      return end;
    }
    int from = Math.max(start + 1, end - overlapTokens);
    for (int cut = from; cut < end; cut++) {
      if (strength[cut] >= WORD) {
        return cut;
      }
    }
    return end;
  }

  /** strength[i]: how good a cut just before token i is (1 <= i < n). */
  static int[] cutStrengths(String text, Tokens tokens) {
    int n = tokens.size();
    int[] strength = new int[n + 1];
    strength[0] = PARAGRAPH;
    strength[n] = PARAGRAPH;
    for (int i = 1; i < n; i++) {
      int gapStart = tokens.end(i - 1);
      int gapEnd = tokens.start(i);
      int newlines = 0;
      boolean space = false;
      for (int c = gapStart; c < gapEnd; c++) {
        char ch = text.charAt(c);
        if (ch == '\n') {
          newlines++;
        }
        if (Character.isWhitespace(ch) || Character.isISOControl(ch)) {
          space = true;
        }
      }
      if (newlines >= 2) {
        strength[i] = PARAGRAPH;
      } else if (space && endsSentence(text, gapStart)) {
        strength[i] = SENTENCE;
      } else if (newlines == 1) {
        strength[i] = LINE;
      } else if (space || gapEnd > gapStart
          || !Character.isLetterOrDigit(text.charAt(gapStart - 1))
          || !Character.isLetterOrDigit(text.charAt(gapEnd))) {
        strength[i] = WORD;
      } else {
        strength[i] = TOKEN;
      }
    }
    return strength;
  }

  private static boolean endsSentence(String text, int end) {
    int i = end - 1;
    // allow closing quotes and brackets after the terminator: ...end." or ...end.)
    while (i > 0 && "\"')]\u201d\u2019".indexOf(text.charAt(i)) >= 0) {
      i--;
    }
    char c = text.charAt(i);
    return c == '.' || c == '!' || c == '?' || c == '\u3002';
  }
}

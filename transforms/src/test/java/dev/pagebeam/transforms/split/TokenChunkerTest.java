package dev.pagebeam.transforms.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagebeam.transforms.model.ModelLocation;
import dev.pagebeam.transforms.model.ModelTokenizer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class TokenChunkerTest {
  private static ModelTokenizer tokenizer;

  @BeforeAll
  static void load() throws Exception {
    tokenizer = ModelTokenizer.load(ModelLocation.bundled(ModelLocation.DEFAULT_MODEL));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static final String[] WORDS = ("the pressure gauge drift reading harbour sensor calibration window linear "
      + "trend reference radar basin storm surge silt port temperature compensation accuracy median millimetres "
      + "month season espresso grinder extraction portafilter microfoam backflush descale replication policy "
      + "bandwidth conflict certificate journal daemon branch internationalization counterintuitively "
      + "3.5 kPa (see figure 4) x=1.5, f(x) + g(y) ; e.g. i.e. etc.").split(" ");

  /** Paragraphs of sentences of pseudo-random words: deterministic for a seed. */
  public static String prose(int seed, int paragraphs, int sentencesPerParagraph) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    for (int p = 0; p < paragraphs; p++) {
      for (int s = 0; s < sentencesPerParagraph; s++) {
        int words = 6 + r.nextInt(18);
        for (int w = 0; w < words; w++) {
          String word = WORDS[r.nextInt(WORDS.length)];
          b.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
          b.append(w + 1 < words ? (r.nextInt(9) == 0 ? "\n" : " ") : ". ");
        }
      }
      b.append("\n\n");
    }
    return b.toString();
  }

  @ParameterizedTest
  @CsvSource({"32,0", "64,8", "128,16", "256,32", "512,64"})
  void chunksNeverExceedTheLimitAndCoverTheText(int maxTokens, int overlap) {
    TokenChunker chunker = new TokenChunker(tokenizer, maxTokens, overlap);
    for (int seed = 0; seed < 5; seed++) {
      String text = prose(seed, 12, 6);
      List<TokenChunker.Chunk> chunks = chunker.chunk(text);
      assertThat(chunks).hasSizeGreaterThan(1);
      for (TokenChunker.Chunk c : chunks) {
        String chunkText = text.substring(c.charStart, c.charEnd);
        int real = tokenizer.countWithSpecialTokens(chunkText);
        assertThat(real).as("chunk %s of seed %d", c, seed).isLessThanOrEqualTo(maxTokens).isEqualTo(c.tokenCount);
      }
      assertCovers(text, chunks);
    }
  }

  @Test
  void consecutiveChunksOverlapByAtMostTheConfiguredTokens() {
    int overlap = 32;
    TokenChunker chunker = new TokenChunker(tokenizer, 128, overlap);
    String text = prose(7, 10, 8);
    List<TokenChunker.Chunk> chunks = chunker.chunk(text);
    int overlapping = 0;
    for (int i = 1; i < chunks.size(); i++) {
      TokenChunker.Chunk prev = chunks.get(i - 1);
      TokenChunker.Chunk next = chunks.get(i);
      assertThat(next.charStart).isGreaterThan(prev.charStart);
      assertThat(next.charEnd).isGreaterThan(prev.charEnd);
      if (next.charStart < prev.charEnd) {
        overlapping++;
        int shared = tokenizer.tokenize(text.substring(next.charStart, prev.charEnd)).size();
        assertThat(shared).isLessThanOrEqualTo(overlap).isGreaterThan(0);
        // the overlap starts on a word boundary
        assertThat(Character.isLetterOrDigit(text.charAt(next.charStart - 1))
            && Character.isLetterOrDigit(text.charAt(next.charStart))).isFalse();
      }
    }
    assertThat(overlapping).as("most chunk pairs share tokens").isGreaterThan(chunks.size() / 2);
  }

  @Test
  void withoutOverlapChunksAreDisjoint() {
    TokenChunker chunker = new TokenChunker(tokenizer, 64, 0);
    String text = prose(3, 8, 6);
    List<TokenChunker.Chunk> chunks = chunker.chunk(text);
    for (int i = 1; i < chunks.size(); i++) {
      assertThat(chunks.get(i).charStart).isGreaterThanOrEqualTo(chunks.get(i - 1).charEnd);
    }
    assertCovers(text, chunks);
  }

  @Test
  void prefersParagraphThenSentenceBoundaries() {
    TokenChunker chunker = new TokenChunker(tokenizer, 256, 0);
    String text = prose(11, 20, 3);
    List<TokenChunker.Chunk> chunks = chunker.chunk(text);
    int paragraphEnds = 0;
    for (TokenChunker.Chunk c : chunks.subList(0, chunks.size() - 1)) {
      if (text.startsWith("\n\n", c.charEnd) || text.startsWith(" \n\n", c.charEnd)) {
        paragraphEnds++;
      }
    }
    assertThat(paragraphEnds).isEqualTo(chunks.size() - 1);

    // one huge paragraph: cuts fall after a sentence
    String single = prose(12, 1, 60);
    List<TokenChunker.Chunk> sentenceChunks = chunker.chunk(single);
    assertThat(sentenceChunks).hasSizeGreaterThan(2);
    for (TokenChunker.Chunk c : sentenceChunks.subList(0, sentenceChunks.size() - 1)) {
      assertThat(single.charAt(c.charEnd - 1)).as("chunk %s ends a sentence", c).isEqualTo('.');
    }
  }

  @Test
  void wordsLongerThanTheLimitAreCutBetweenWordPieces() {
    // WordPiece turns words over 100 characters into one [UNK]; 90 random letters make ~40 pieces.
    StringBuilder b = new StringBuilder("Checksums:");
    Random r = new Random(1);
    for (int w = 0; w < 4; w++) {
      b.append(' ');
      for (int i = 0; i < 90; i++) {
        b.append((char) ('a' + r.nextInt(26)));
      }
    }
    String text = b.toString();
    assertThat(tokenizer.tokenize(text).size()).isGreaterThan(100);
    TokenChunker chunker = new TokenChunker(tokenizer, 16, 2);
    List<TokenChunker.Chunk> chunks = chunker.chunk(text);
    assertThat(chunks).hasSizeGreaterThan(8);
    for (TokenChunker.Chunk c : chunks) {
      assertThat(tokenizer.countWithSpecialTokens(text.substring(c.charStart, c.charEnd))).isLessThanOrEqualTo(16);
    }
    assertCovers(text, chunks);
  }

  @Test
  void offsetsStayCorrectAroundCharactersOutsideTheBasicPlane() {
    // Math italic letters and emoji are two UTF-16 units; the tokenizer counts code points.
    String unit = "Let \uD835\uDC65 be the value \uD83D\uDE00 of the gauge reading, and \uD835\uDC66 its drift. ";
    String text = unit.repeat(60);
    TokenChunker chunker = new TokenChunker(tokenizer, 48, 8);
    List<TokenChunker.Chunk> chunks = chunker.chunk(text);
    for (TokenChunker.Chunk c : chunks) {
      assertThat(Character.isLowSurrogate(text.charAt(c.charStart))).isFalse();
      assertThat(Character.isHighSurrogate(text.charAt(c.charEnd - 1))).isFalse();
      String chunkText = text.substring(c.charStart, c.charEnd);
      assertThat(tokenizer.countWithSpecialTokens(chunkText)).isLessThanOrEqualTo(48);
    }
    assertThat(text.substring(chunks.get(0).charStart)).startsWith("Let");
    assertCovers(text, chunks);
  }

  @Test
  void isDeterministicAndFingerprintsItsSettings() {
    String text = prose(5, 6, 6);
    TokenChunker a = new TokenChunker(tokenizer, 128, 16);
    TokenChunker b = new TokenChunker(tokenizer, 128, 16);
    assertThat(a.chunk(text)).usingRecursiveFieldByFieldElementComparator().isEqualTo(b.chunk(text));
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
    assertThat(new TokenChunker(tokenizer, 256, 16).fingerprint()).isNotEqualTo(a.fingerprint());
    assertThat(new TokenChunker(tokenizer, 128, 0).fingerprint()).isNotEqualTo(a.fingerprint());
  }

  @Test
  void blankTextHasNoChunks() {
    assertThat(new TokenChunker(tokenizer, 64, 8).chunk(" \n\n \t ")).isEmpty();
    assertThat(new TokenChunker(tokenizer, 64, 8).chunk("")).isEmpty();
  }

  @Test
  void rejectsAnOverlapLargerThanHalfTheBudget() {
    assertThatThrownBy(() -> new TokenChunker(tokenizer, 32, 20)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlap");
  }

  /** Every character that is not whitespace or a control character lies inside some chunk. */
  static void assertCovers(String text, List<TokenChunker.Chunk> chunks) {
    boolean[] covered = new boolean[text.length()];
    for (TokenChunker.Chunk c : chunks) {
      for (int i = c.charStart; i < c.charEnd; i++) {
        covered[i] = true;
      }
    }
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (!Character.isWhitespace(ch) && !Character.isISOControl(ch)) {
        assertThat(covered[i]).as("char %d '%s' is in a chunk", i, ch).isTrue();
      }
    }
  }
}

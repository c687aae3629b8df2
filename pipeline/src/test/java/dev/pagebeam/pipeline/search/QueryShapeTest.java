package dev.pagebeam.pipeline.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which queries auto leans lexical for: text only the document would have, not the user's own words. */
class QueryShapeTest {
  @Test
  void identifiersNumbersQuotesAndCopiedSentencesLeanLexical() {
    for (String q : new String[] {
        "what does R_CheckUserInterrupt do", "os.path.join", "std::vector reserve", "--with-blas", "setLineWidth",
        "call plot() twice", "error 7421", "E1234 on start", "/etc/apt/sources.list", "\"economy factorization\"",
        "The width parameter is a positive integer specifying the minimum number of columns used for printing."}) {
      assertThat(QueryShape.of(q).leansLexical()).as(q).isTrue();
    }
  }

  @Test
  void questionsInTheUsersOwnWordsDoNot() {
    for (String q : new String[] {
        "how do I install a package when I may not write to the system library",
        "which package makes the system apply security fixes by itself every day",
        "my shot runs too fast and tastes sour, what should I change",
        "draw a smooth curve through points", "e.g. a plot with two axes",
        "comparing two decimal results with == gives FALSE although they look identical, why"}) {
      assertThat(QueryShape.of(q).leansLexical()).as(q).isFalse();
    }
  }
}

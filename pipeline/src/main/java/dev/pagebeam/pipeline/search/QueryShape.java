package dev.pagebeam.pipeline.search;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a query looks like to {@code --mode=auto}: text a person would only type if it is in the
 * document (a quoted phrase, an identifier, a number, a copied sentence) is best matched by its
 * words, so auto leans the fusion toward the lexical ranking for it; a question in the user's own
 * words is left to the default fusion.
 */
public final class QueryShape {
  private static final Pattern QUOTED = Pattern.compile("[\"\u201c\u201d][^\"\u201c\u201d]{2,}[\"\u201c\u201d]");
  /**
   * snake_case, dotted.names, Class::member, -&gt;, --options, camelCase, call(), paths, codes that
   * mix letters and digits (E1234, 0x1F, utf8), and numbers of two digits or more.
   */
  private static final Pattern IDENTIFIER = Pattern.compile(
      "\\w+_\\w+|[A-Za-z_]\\w*\\.[A-Za-z_]\\w+|\\w+::\\w+|\\w+->\\w+|(?<![\\w-])--?[A-Za-z][\\w-]*"
          + "|\\b[a-z]+[A-Z]\\w*|\\b\\w+\\(\\)|\\w*/\\w+/[\\w/.]*"
          + "|\\b(?=\\w*[A-Za-z])(?=\\w*\\d)\\w{2,}\\b|\\b\\d{2,}\\b");
  /** A copied sentence: this many words or more, written as a statement. */
  static final int SENTENCE_WORDS = 10;
  private static final Pattern QUESTION_START = Pattern.compile(
      "^(how|what|which|why|where|when|who|whom|whose|can|could|should|is|are|does|do|did|will|would)\\b");

  private final String reason;

  private QueryShape(String reason) {
    this.reason = reason;
  }

  public static QueryShape of(String query) {
    String q = query.strip();
    if (QUOTED.matcher(q).find()) {
      return new QueryShape("a quoted phrase");
    }
    java.util.regex.Matcher m = IDENTIFIER.matcher(q);
    if (m.find()) {
      return new QueryShape("'" + m.group() + "' looks like an identifier or a number");
    }
    String[] words = q.split("\\s+");
    String lower = q.toLowerCase(Locale.ROOT);
    // as a sentence is written in a book: a capital first, a full stop last, not a question
    if (words.length >= SENTENCE_WORDS && Character.isUpperCase(q.charAt(0)) && q.matches(".*[.;:]$")
        && !QUESTION_START.matcher(lower).find()) {
      return new QueryShape("a sentence of " + words.length + " words, as if copied");
    }
    return new QueryShape(null);
  }

  /** Whether the query's own words should weigh more than its meaning. */
  public boolean leansLexical() {
    return reason != null;
  }

  /** Why it leans lexical, for the log; null when it does not. */
  public String reason() {
    return reason;
  }
}

package dev.pagebeam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README stays a five-minute read and the documentation's links hold: README.md is short, its
 * quick start is the requirements and then exactly two commands, and every relative link in
 * README.md and docs/ names a file that exists and, with an anchor, a heading of that file (GitHub's
 * heading ids). Links in fenced code blocks and in code spans are not links; web and mail links are
 * not checked.
 */
class DocLinksTest {
  /** [text](target) or [text](target "title"); an image's ![alt](src) too. */
  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})(.*)$");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
  private static final Pattern LINK_IN_HEADING = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");

  @Test
  void readmeIsShort() throws IOException {
    List<String> lines = Files.readAllLines(Corpus.home().resolve("README.md"));
    assertThat(lines.size()).as("README.md lines (the rest belongs in docs/)").isLessThan(200);
  }

  @Test
  void quickStartIsTheRequirementsThenTwoCommands() throws IOException {
    List<String> lines = Files.readAllLines(Corpus.home().resolve("README.md"));
    List<String> section = section(lines, "## Quick start");
    assertThat(section).as("README.md has a ## Quick start section").isNotEmpty();
    List<Block> sh = blocks(section).stream().filter(b -> b.info.equals("sh")).collect(Collectors.toList());
    assertThat(sh).as("```sh blocks in the quick start").hasSize(1);
    List<String> commands = sh.get(0).lines.stream().map(String::strip).filter(l -> !l.isEmpty())
        .collect(Collectors.toList());
    assertThat(commands).containsExactly("bin/pagebeam ingest", "scripts/test.sh");
    String before = String.join("\n", section.subList(0, sh.get(0).openedAt));
    assertThat(before.toLowerCase(Locale.ROOT)).as("the requirements come before the commands").contains("requirements");
    assertThat(before).as("the requirements come before the commands").contains("Java 17");
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    Path home = Corpus.home();
    Check check = check(home);
    assertThat(check.linksChecked).as("relative links checked (is the reading right?)").isGreaterThan(20);
    assertThat(check.broken).withFailMessage("%d broken links (file:line -> target):%n  %s", check.broken.size(),
        String.join(String.format("%n  "), check.broken)).isEmpty();
  }

  @Test
  void headingIdsFollowGitHub() {
    assertThat(slug("What `ingest` writes")).isEqualTo("what-ingest-writes");
    assertThat(slug("OCR: scanned pages and the text inside images")).isEqualTo("ocr-scanned-pages-and-the-text-inside-images");
    assertThat(slug("Measuring retrieval: `eval`")).isEqualTo("measuring-retrieval-eval");
    assertThat(slug("Re-index")).isEqualTo("re-index");
    assertThat(slug("snake_case and [a link](x.md)!")).isEqualTo("snake_case-and-a-link");
    assertThat(anchors(List.of("# Title", "## Same", "```", "## Same", "```", "## Same", "## Same")))
        .containsExactlyInAnyOrder("title", "same", "same-1", "same-2");
  }

  @Test
  void findsEveryBrokenLinkWhenThereAreSome(@TempDir Path home) throws IOException {
    Files.createDirectories(home.resolve("docs"));
    Files.write(home.resolve("docs/a.md"), List.of("# A", "", "## Same", "", "## Same", "", "```",
        "## Fenced", "[in a fence](missing-but-fenced.md)", "```",
        "[ok](../README.md#readme) [ok too](#same-1) [no file](missing.md) [no heading](#same-2)",
        "`[in code](missing-in-code.md)` [`code text`](a.md#a) [web](https://example.com/missing.md)",
        "[fenced heading](#fenced)"));
    Files.write(home.resolve("README.md"), List.of("# README", "See [A](docs/a.md#same) and [B](docs/b.md)."));
    Check check = check(home);
    assertThat(check.broken).containsExactly(
        "README.md:2 -> docs/b.md (no such file)",
        "docs/a.md:11 -> missing.md (no such file)",
        "docs/a.md:11 -> #same-2 (no such heading)",
        "docs/a.md:13 -> #fenced (no such heading)");
    assertThat(check.linksChecked).isEqualTo(8);
  }

  /** The links checked and those that are broken, as "file:line -> target (why)". */
  static final class Check {
    final List<String> broken = new ArrayList<>();
    int linksChecked;
  }

  static Check check(Path home) throws IOException {
    Check check = new Check();
    Map<Path, Set<String>> anchorsByFile = new HashMap<>();
    for (Path file : markdownFiles(home)) {
      List<String> lines = Files.readAllLines(file);
      boolean[] fenced = fenced(lines);
      for (int i = 0; i < lines.size(); i++) {
        if (fenced[i]) {
          continue;
        }
        Matcher m = LINK.matcher(withoutCode(lines.get(i)));
        while (m.find()) {
          String target = m.group(2);
          String lower = target.toLowerCase(Locale.ROOT);
          if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("mailto:")) {
            continue;
          }
          check.linksChecked++;
          int hash = target.indexOf('#');
          String path = decode(hash < 0 ? target : target.substring(0, hash));
          String anchor = hash < 0 ? "" : decode(target.substring(hash + 1));
          Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
          String where = home.relativize(file).toString().replace('\\', '/') + ":" + (i + 1) + " -> " + target;
          if (!Files.exists(resolved)) {
            check.broken.add(where + " (no such file)");
          } else if (!anchor.isEmpty() && resolved.getFileName().toString().endsWith(".md")
              && !anchorsByFile.computeIfAbsent(resolved, DocLinksTest::anchorsOf).contains(anchor.toLowerCase(Locale.ROOT))) {
            check.broken.add(where + " (no such heading)");
          }
        }
      }
    }
    return check;
  }

  /** README.md and every .md file under docs/, in path order. */
  static List<Path> markdownFiles(Path home) throws IOException {
    List<Path> files = new ArrayList<>(List.of(home.resolve("README.md")));
    Path docs = home.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> walk = Files.walk(docs)) {
        walk.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p)).sorted().forEach(files::add);
      }
    }
    return files;
  }

  /** Which lines are in a fenced code block (its fences included). */
  static boolean[] fenced(List<String> lines) {
    boolean[] fenced = new boolean[lines.size()];
    String fence = null;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = FENCE.matcher(lines.get(i));
      if (fence == null) {
        if (m.matches()) {
          fence = m.group(1);
          fenced[i] = true;
        }
      } else {
        fenced[i] = true;
        if (m.matches() && m.group(1).charAt(0) == fence.charAt(0) && m.group(1).length() >= fence.length()
            && m.group(2).isBlank()) {
          fence = null;
        }
      }
    }
    return fenced;
  }

  /** Code spans lose their brackets and parentheses: nothing in code is a link, but a link's text may hold code. */
  static String withoutCode(String line) {
    Matcher m = CODE_SPAN.matcher(line);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(m.group(2).replaceAll("[\\[\\]()]", "")));
    }
    m.appendTail(b);
    return b.toString();
  }

  static Set<String> anchorsOf(Path file) {
    try {
      return anchors(Files.readAllLines(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  /** The heading ids GitHub gives a Markdown file: a repeated heading gets -1, -2, ... */
  static Set<String> anchors(List<String> lines) {
    boolean[] fenced = fenced(lines);
    Map<String, Integer> seen = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = HEADING.matcher(lines.get(i));
      if (!fenced[i] && m.matches()) {
        String slug = slug(m.group(1));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        ids.add(n == 0 ? slug : slug + "-" + n);
      }
    }
    return ids;
  }

  /** GitHub's heading id: lowercase; only letters, digits, spaces, hyphens and underscores kept; spaces to hyphens. */
  static String slug(String heading) {
    String text = LINK_IN_HEADING.matcher(heading).replaceAll("$1").strip().toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder();
    text.codePoints().filter(c -> Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_')
        .forEach(c -> b.appendCodePoint(c == ' ' ? '-' : c));
    return b.toString();
  }

  private static String decode(String s) {
    return s.indexOf('%') < 0 ? s : URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The lines after {@code heading} up to the next heading of level 1 or 2 (outside code blocks). */
  static List<String> section(List<String> lines, String heading) {
    boolean[] fenced = fenced(lines);
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (fenced[i]) {
        continue;
      }
      if (start < 0 && lines.get(i).strip().equals(heading)) {
        start = i + 1;
      } else if (start >= 0 && lines.get(i).matches("^#{1,2}\\s.*")) {
        return lines.subList(start, i);
      }
    }
    return start < 0 ? List.of() : lines.subList(start, lines.size());
  }

  /** A fenced code block: its info string, the index of its opening fence, and its lines. */
  static final class Block {
    final String info;
    final int openedAt;
    final List<String> lines = new ArrayList<>();

    Block(String info, int openedAt) {
      this.info = info;
      this.openedAt = openedAt;
    }
  }

  static List<Block> blocks(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    String fence = null;
    Block current = null;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = FENCE.matcher(lines.get(i));
      if (fence == null) {
        if (m.matches()) {
          fence = m.group(1);
          current = new Block(m.group(2).strip(), i);
        }
      } else if (m.matches() && m.group(1).charAt(0) == fence.charAt(0) && m.group(1).length() >= fence.length()
          && m.group(2).isBlank()) {
        blocks.add(current);
        fence = null;
      } else {
        current.lines.add(lines.get(i));
      }
    }
    return blocks;
  }
}

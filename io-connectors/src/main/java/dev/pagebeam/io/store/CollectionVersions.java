package dev.pagebeam.io.store;

import java.io.IOException;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name readers use (the sink's collection, {@code NAME}) and the versioned collections a
 * reindex builds beside it, {@code NAME_v1}, {@code NAME_v2}, ... The store answering is the one of
 * {@code NAME}. Milvus switches the name with an alias (atomic); Chroma, which has no aliases, with
 * two renames (the name resolves to nothing between them).
 */
public interface CollectionVersions {

  /** The versioned collections that exist, by version number (the one the name serves included). */
  SortedMap<Integer, String> byNumber() throws IOException;

  /**
   * The collection the name serves now: the name itself when it is a collection, an alias's
   * target, or null when the name serves nothing.
   */
  String live() throws IOException;

  /**
   * Makes the name serve {@code version}, with its manifest. When the name is a collection of its
   * own, it is first renamed {@code previousName} (with its manifest), so that it is kept as a
   * version. Any failure leaves the name serving what it served before.
   */
  Switched switchTo(String version, String previousName) throws IOException;

  /** Drops a versioned collection and its manifest (never the one the name serves). */
  void dropVersion(String name) throws IOException;

  /** {@code NAME_vN}: a valid collection name on Chroma and Milvus alike. */
  static String versionName(String name, int version) {
    return name + "_v" + version;
  }

  /** Those of {@code collections} that are versions of {@code name}, by version number. */
  static SortedMap<Integer, String> versionsOf(String name, Iterable<String> collections) {
    Pattern version = Pattern.compile(Pattern.quote(name) + "_v([0-9]{1,9})");
    SortedMap<Integer, String> versions = new java.util.TreeMap<>();
    for (String c : collections) {
      Matcher m = version.matcher(c);
      if (m.matches()) {
        versions.put(Integer.parseInt(m.group(1)), c);
      }
    }
    return versions;
  }

  /** What a switch did. */
  final class Switched {
    private final String previous;
    private final boolean alias;
    private final String how;
    private final long unresolvedMillis;

    public Switched(String previous, boolean alias, String how, long unresolvedMillis) {
      this.previous = previous;
      this.alias = alias;
      this.how = how;
      this.unresolvedMillis = unresolvedMillis;
    }

    /** "alias" (Milvus) or "rename" (Chroma). */
    public String kind() {
      return alias ? "alias" : "rename";
    }

    /** The collection the name served before (now a kept version), or null. */
    public String previous() {
      return previous;
    }

    /** What was done, as a sentence: "alias manuals moved from manuals_v2 to manuals_v3". */
    public String how() {
      return how;
    }

    /**
     * An upper bound of the time the name resolved to nothing: from sending the first rename to the
     * answer of the last; 0 when an alias moved atomically.
     */
    public long unresolvedMillis() {
      return unresolvedMillis;
    }
  }
}

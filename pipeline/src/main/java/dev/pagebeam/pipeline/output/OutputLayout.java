package dev.pagebeam.pipeline.output;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The files a run writes under its output folder, by name: what may be replaced by the next run. */
public final class OutputLayout {
  private static final Logger LOG = LoggerFactory.getLogger(OutputLayout.class);

  private OutputLayout() {}

  private static final Pattern OUR_SHARD =
      Pattern.compile("(elements|dead-letters|vectors|ledger|manifest)-\\d{5}-of-\\d{5}\\.jsonl");
  private static final Pattern OUR_IMAGE = Pattern.compile("[0-9a-f]{32}\\.(png|jpg)");

  /** Whether a file name is one of the image files ingest writes. */
  public static boolean isOurImage(String name) {
    return OUR_IMAGE.matcher(name).matches();
  }

  /**
   * Deletes the shards and images an earlier run wrote to the same output, so that a rerun with a
   * different shard count leaves no stale files. Only files named like ours are touched.
   */
  public static void removePreviousOutput(String output, boolean images) throws IOException {
    List<String> globs = new ArrayList<>(List.of(output + "/elements/*", output + "/dead-letters/*",
        output + "/vectors/*", output + "/ledger/*", output + "/manifest/*"));
    // image files sit in 256 folders: one folder at a time keeps the listing small
    for (int shard = 0; images && shard < 256; shard++) {
      globs.add(output + "/images/" + String.format("%02x", shard) + "/*");
    }
    if (images) {
      globs.add(output + "/images/*");
    }
    long removed = 0;
    for (String glob : globs) {
      MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
      if (m.status() != MatchResult.Status.OK) {
        continue;
      }
      List<ResourceId> stale = new ArrayList<>();
      for (MatchResult.Metadata md : m.metadata()) {
        String name = md.resourceId().getFilename();
        if (name != null && !md.resourceId().isDirectory()
            && (OUR_SHARD.matcher(name).matches() || OUR_IMAGE.matcher(name).matches())) {
          stale.add(md.resourceId());
        }
        if (stale.size() == 1000) {
          FileSystems.delete(stale);
          removed += stale.size();
          stale.clear();
        }
      }
      if (!stale.isEmpty()) {
        FileSystems.delete(stale);
        removed += stale.size();
      }
    }
    if (removed > 0) {
      LOG.info("removed {} files of an earlier run from {}", removed, output);
    }
  }
}

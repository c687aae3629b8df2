package dev.pagebeam.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pagebeam.io.store.ManifestEntry;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** Sink failures and manifest entries travel with Beam's schema coders. */
class RecordSchemasTest {
  @Test
  void sinkFailuresRoundTrip() throws Exception {
    SinkFailure f = new SinkFailure("r1", "/data/a.pdf", "ab12", 4, "text_chunk", "HTTP 500 after 8 attempts");
    CoderProperties.coderDecodeEncodeEqual(SinkFailure.CODER, f);
    SinkFailure back = CoderUtils.clone(SinkFailure.CODER, f);
    assertThat(back.page()).isEqualTo(4);
    assertThat(back.reason()).isEqualTo("HTTP 500 after 8 attempts");
    assertThat(((SchemaCoder<SinkFailure>) SinkFailure.CODER).getSchema().getFieldNames())
        .containsExactlyInAnyOrder("recordId", "source", "documentId", "page", "type", "reason");
  }

  @Test
  void manifestEntriesRoundTrip() throws Exception {
    ManifestEntry e = new ManifestEntry("/data/a.pdf", "ab12", "model=m;chunk=256", 5_000_000_000L);
    CoderProperties.coderDecodeEncodeEqual(ManifestEntry.CODER, e);
    assertThat(CoderUtils.clone(ManifestEntry.CODER, e).vectors()).isEqualTo(5_000_000_000L);
  }
}

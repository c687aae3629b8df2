package dev.pagebeam.pipeline.cli;

import dev.pagebeam.transforms.model.EmbeddingModel;
import dev.pagebeam.transforms.model.ModelManifest;
import dev.pagebeam.transforms.model.ModelSpec;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code pagebeam inspect-model}: what a model is before a vector store is configured for it:
 * family, dimension, max tokens, pooling, graph inputs and outputs with their shapes, and the
 * device it would run on.
 */
final class InspectModel {
  private InspectModel() {}

  static void print(ModelSpec spec, PrintStream out) throws Exception {
    try (EmbeddingModel model = EmbeddingModel.load(spec)) {
      ModelManifest m = model.manifest();
      out.printf("model:       %s (%s)%n", m.id(), spec.location().isBundled() ? "bundled" : spec.location().describe());
      out.printf("family:      %s%n", m.family().label());
      out.printf("dimension:   %d%n", model.dimension());
      out.printf("max tokens:  %d (special tokens included)%n", m.maxTokens());
      out.printf("pooling:     %s%s%n", m.pooling().label(), m.normalize() ? ", then L2-normalised" : "");
      out.printf("prefixes:    query \"%s\", document \"%s\"%n", m.queryPrefix(), m.documentPrefix());
      out.printf("graphs:      text %s%s%n", m.textGraph(), m.visionGraph() == null ? "" : ", vision " + m.visionGraph());
      for (Map.Entry<String, String> e : model.describeGraphs().entrySet()) {
        out.printf("  %-34s %s%n", e.getKey(), e.getValue());
      }
      if (m.image() != null) {
        out.printf("images:      %s%n", m.image().describe());
      } else {
        out.printf("images:      not encoded (text-only model)%n");
      }
      out.printf("%s%n", model.device().description());
      out.printf("described by: %s%n", String.join(", ", m.provenance()));
    }
  }
}

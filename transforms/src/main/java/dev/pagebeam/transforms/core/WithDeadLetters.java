package dev.pagebeam.transforms.core;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The output of a pagebeam stage: what it made, and the dead letters of what it could not make.
 * Stages subclass it to name their output ({@code elements()}, {@code embedded()}).
 */
public abstract class WithDeadLetters<T> implements POutput {
  private final TupleTag<T> outputTag;
  private final TupleTag<DeadLetter> deadLettersTag = new TupleTag<>("deadLetters");
  private final Pipeline pipeline;
  private final PCollection<T> output;
  private final PCollection<DeadLetter> deadLetters;

  protected WithDeadLetters(String outputName, Pipeline pipeline, PCollection<T> output,
      PCollection<DeadLetter> deadLetters) {
    this.outputTag = new TupleTag<>(outputName);
    this.pipeline = pipeline;
    this.output = output;
    this.deadLetters = deadLetters;
  }

  protected PCollection<T> output() {
    return output;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(outputTag, output, deadLettersTag, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}

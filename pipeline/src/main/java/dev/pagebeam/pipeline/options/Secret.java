package dev.pagebeam.pipeline.options;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * An option value that must not be shown: its {@code toString} is a mask, so Beam's own printing of
 * the pipeline options (for example in a runner's log) never reveals it. Options of this type are
 * also {@code @JsonIgnore}d, so they are not serialized with the pipeline.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value == null ? "" : value;
  }

  /** Beam parses {@code --option=VALUE} through this. */
  @JsonCreator
  public static Secret of(String value) {
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return value.isEmpty() ? "" : "********";
  }
}

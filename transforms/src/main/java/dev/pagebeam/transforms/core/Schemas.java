package dev.pagebeam.transforms.core;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;

/** Beam schema coders of pagebeam's record types, made once per class. */
public final class Schemas {
  private Schemas() {}

  /** The schema coder of {@code type}, which must carry a {@code @DefaultSchema}. */
  public static <T> Coder<T> coder(Class<T> type) {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(type.getName() + " has no Beam schema: annotate it with @DefaultSchema", e);
    }
  }
}

package dev.pagebeam.io.store;

/** A collection's existence, dimension and recorded model, as the dimension guard reads them. */
public final class CollectionState {
  private final boolean exists;
  private final Integer dimension;
  private final String model;
  private final String incompatibility;

  private CollectionState(boolean exists, Integer dimension, String model, String incompatibility) {
    this.exists = exists;
    this.dimension = dimension;
    this.model = model;
    this.incompatibility = incompatibility;
  }

  public static CollectionState absent() {
    return new CollectionState(false, null, null, null);
  }

  /** A collection pagebeam cannot write into whatever its dimension (foreign fields): why. */
  public static CollectionState incompatible(Integer dimension, String why) {
    return new CollectionState(true, dimension, null, why);
  }

  /** Why pagebeam cannot write into it, or null. */
  public String incompatibility() {
    return incompatibility;
  }

  /**
   * @param dimension null when the server does not know it yet (Chroma before the first write)
   * @param model the model pagebeam recorded on the collection, or null (not created by pagebeam)
   */
  public static CollectionState present(Integer dimension, String model) {
    return new CollectionState(true, dimension, model, null);
  }

  public boolean exists() {
    return exists;
  }

  public Integer dimension() {
    return dimension;
  }

  public String model() {
    return model;
  }

  @Override
  public String toString() {
    return exists ? "collection(dimension=" + dimension + ", model=" + model + ")" : "no collection";
  }
}

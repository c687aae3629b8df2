package dev.pagebeam.io;

/**
 * The model's vectors do not fit the target collection. Thrown before anything is read or written:
 * a 768-dimension model writing into a 1024-dimension collection must never "succeed".
 */
public final class DimensionMismatchException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public DimensionMismatchException(String message) {
    super(message);
  }

  /** The one message for every sink: both numbers, the model, the collection and the two ways out. */
  public static DimensionMismatchException of(String collection, int collectionDimension, String collectionModel,
      String model, int modelDimension) {
    String why = collectionDimension != modelDimension
        ? "holds " + collectionDimension + "-dimension vectors but model " + model + " makes " + modelDimension
            + "-dimension vectors"
        : "was written with model " + collectionModel + ", not " + model + " (both " + modelDimension
            + " dimensions, but their vectors are not comparable)";
    return new DimensionMismatchException("collection " + collection + " " + why + ". " + waysOut(model));
  }

  /** What to do instead: reindex, another collection, or --recreate. */
  public static String waysOut(String model) {
    return "Nothing was written. To change the model of this collection, run pagebeam reindex with the same --sink"
        + " and --model=" + model + ": it builds the new vectors beside the old ones, which serve queries until the"
        + " switch. Or write to a new collection, or pass --recreate to drop and recreate this one now.";
  }
}

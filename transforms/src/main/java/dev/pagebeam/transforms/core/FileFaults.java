package dev.pagebeam.transforms.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which failures one PDF can cause, and how its dead letter names them.
 *
 * <p>The per-file stages catch {@link Throwable}, not only {@link Exception}, because real files
 * cause {@link Error}s too: content streams, forms, patterns or Type 3 glyphs that draw each other
 * in a cycle send PDFBox into unbounded recursion ({@link StackOverflowError}); one page's raster
 * can outgrow the heap ({@link OutOfMemoryError}); AWT's imaging throws {@link InternalError}; a
 * decoder whose optional library is missing throws {@link NoClassDefFoundError}. Each of these is
 * confined to the work on that file: the thread's stack unwinds to the stage that caught it, the
 * file's objects become garbage, and the next file starts afresh.
 *
 * <p>What is not confined is rethrown, so that the runner fails (and retries) the bundle instead
 * of a broken worker marking every later file as failed: the JVM out of metaspace, class space,
 * native threads or direct memory, an {@link UnknownError} or other {@link VirtualMachineError},
 * and {@link ThreadDeath}.
 */
public final class FileFaults {
  private FileFaults() {}

  /** True when {@code t} concerns only the file being read; false when the JVM itself is in trouble. */
  public static boolean isPerFile(Throwable t) {
    if (t instanceof Exception || t instanceof StackOverflowError || t instanceof InternalError) {
      return true;
    }
    if (t instanceof OutOfMemoryError) {
      // Heap exhaustion by one allocation or one file's objects is freed when the stack unwinds;
      // the JVM's other memory pools are not the file's to spend.
      String m = String.valueOf(t.getMessage());
      return !(m.contains("Metaspace") || m.contains("Compressed class space") || m.contains("native thread")
          || m.contains("irect buffer memory"));
    }
    return !(t instanceof VirtualMachineError || t instanceof ThreadDeath);
  }

  /** Rethrows {@code t} unless it is {@link #isPerFile per file}; returns normally otherwise. */
  public static void rethrowIfNotPerFile(Throwable t) {
    if (!isPerFile(t)) {
      if (t instanceof Error) {
        throw (Error) t;
      }
      throw new IllegalStateException(t);
    }
  }

  /** The dead letter's kind for {@code t}: a kind of its own for an Error, else {@code exceptionKind}. */
  public static ErrorKind kind(Throwable t, ErrorKind exceptionKind) {
    if (t instanceof StackOverflowError) {
      return ErrorKind.RECURSION;
    }
    if (t instanceof OutOfMemoryError) {
      return ErrorKind.OUT_OF_MEMORY;
    }
    if (t instanceof Error) {
      return ErrorKind.READER_ERROR;
    }
    return exceptionKind;
  }

  /**
   * What a dead letter says of {@code t}: its class and message, and for a stack overflow the
   * methods it recursed through, which point at the kind of cycle in the file.
   */
  public static String describe(Throwable t) {
    if (t instanceof StackOverflowError) {
      return "StackOverflowError: PDFBox recursed without end, as it does when the file's content streams,"
          + " forms, patterns or Type 3 glyphs draw each other in a cycle (recursing through " + recursion(t) + ")";
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The methods that repeat at the top of a stack overflow's trace, in call order, at most four. */
  static String recursion(Throwable t) {
    StackTraceElement[] frames = t.getStackTrace();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(frames.length, 256); i++) {
      String className = frames[i].getClassName();
      String method = className.substring(className.lastIndexOf('.') + 1) + "." + frames[i].getMethodName();
      seen.merge(method, 1, Integer::sum);
    }
    String repeated = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .filter(m -> !m.startsWith("Object") && !m.contains("$"))
        .limit(4).collect(Collectors.joining(" <- "));
    return repeated.isEmpty() ? "frames the JVM did not record" : repeated;
  }
}

package dev.pagebeam.transforms.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.ImagingOpException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FileFaultsTest {
  @Test
  void whatOneFileCanCauseIsThatFilesFailure() {
    assertThat(FileFaults.isPerFile(new IOException("bad xref"))).isTrue();
    assertThat(FileFaults.isPerFile(new ImagingOpException("Unable to transform src image"))).isTrue();
    assertThat(FileFaults.isPerFile(new StackOverflowError())).isTrue();
    assertThat(FileFaults.isPerFile(new OutOfMemoryError("Java heap space"))).isTrue();
    assertThat(FileFaults.isPerFile(new OutOfMemoryError("Requested array size exceeds VM limit"))).isTrue();
    assertThat(FileFaults.isPerFile(new InternalError("surface"))).isTrue();
    assertThat(FileFaults.isPerFile(new NoClassDefFoundError("com/github/jaiimageio/jpeg2000/J2KImageReader")))
        .isTrue();
    assertThat(FileFaults.isPerFile(new ExceptionInInitializerError("font cache"))).isTrue();
  }

  @Test
  void whatBreaksTheWholeJvmIsRethrown() {
    assertThat(FileFaults.isPerFile(new OutOfMemoryError("Metaspace"))).isFalse();
    assertThat(FileFaults.isPerFile(new OutOfMemoryError("Compressed class space"))).isFalse();
    assertThat(FileFaults.isPerFile(new OutOfMemoryError("unable to create native thread: possibly out of memory")))
        .isFalse();
    assertThat(FileFaults.isPerFile(new OutOfMemoryError("Direct buffer memory"))).isFalse();
    assertThat(FileFaults.isPerFile(new UnknownError())).isFalse();
    assertThat(FileFaults.isPerFile(new ThreadDeath())).isFalse();
    Error metaspace = new OutOfMemoryError("Metaspace");
    assertThatThrownBy(() -> FileFaults.rethrowIfNotPerFile(metaspace)).isSameAs(metaspace);
    FileFaults.rethrowIfNotPerFile(new StackOverflowError());
  }

  @Test
  void errorsGetKindsOfTheirOwnAndExceptionsTheStagesKind() {
    assertThat(FileFaults.kind(new StackOverflowError(), ErrorKind.RENDER_FAILED)).isEqualTo(ErrorKind.RECURSION);
    assertThat(FileFaults.kind(new OutOfMemoryError("Java heap space"), ErrorKind.RENDER_FAILED))
        .isEqualTo(ErrorKind.OUT_OF_MEMORY);
    assertThat(FileFaults.kind(new InternalError(), ErrorKind.RENDER_FAILED)).isEqualTo(ErrorKind.READER_ERROR);
    assertThat(FileFaults.kind(new IOException(), ErrorKind.RENDER_FAILED)).isEqualTo(ErrorKind.RENDER_FAILED);
  }

  @Test
  void aStackOverflowIsDescribedByTheMethodsItRecursedThrough() {
    StackOverflowError overflow = null;
    try {
      drawGlyph(0);
    } catch (StackOverflowError e) {
      overflow = e;
    }
    assertThat(overflow).isNotNull();
    assertThat(FileFaults.describe(overflow))
        .startsWith("StackOverflowError: PDFBox recursed without end")
        .contains("FileFaultsTest.drawGlyph")
        .contains("FileFaultsTest.paintPattern");
  }

  @Test
  void otherThrowablesAreDescribedByClassAndMessage() {
    assertThat(FileFaults.describe(new IOException("Page tree root must be a dictionary")))
        .isEqualTo("IOException: Page tree root must be a dictionary");
    assertThat(FileFaults.describe(new InternalError())).isEqualTo("InternalError");
  }

  // a cycle between two methods, as between a Type 3 glyph and the tiling pattern it paints with
  private static int drawGlyph(int depth) {
    return paintPattern(depth + 1) + 1;
  }

  private static int paintPattern(int depth) {
    return drawGlyph(depth + 1) + 1;
  }
}

package dev.pagebeam.transforms.split;

import java.io.IOException;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadView;

/**
 * The file's bytes as PDFBox reads them, with the task's {@link Deadline} checked on the way: every
 * parse, repair scan and stream decode reads through here, so a file that keeps PDFBox busy
 * outside content streams (a looping xref repair, a decompression bomb) still stops at the limit.
 * Views (the streams' data) read through this object too.
 */
final class DeadlineRead implements RandomAccessRead {
  /** Single-byte reads between two looks at the clock. */
  private static final int BYTES_PER_CHECK = 4096;

  private final RandomAccessRead delegate;
  private final Deadline deadline;
  private int reads;

  DeadlineRead(RandomAccessRead delegate, Deadline deadline) {
    this.delegate = delegate;
    this.deadline = deadline;
  }

  @Override
  public int read() throws IOException {
    if (++reads == BYTES_PER_CHECK) {
      reads = 0;
      deadline.check();
    }
    return delegate.read();
  }

  @Override
  public int read(byte[] b, int offset, int length) throws IOException {
    deadline.check();
    return delegate.read(b, offset, length);
  }

  @Override
  public long getPosition() throws IOException {
    return delegate.getPosition();
  }

  @Override
  public void seek(long position) throws IOException {
    delegate.seek(position);
  }

  @Override
  public long length() throws IOException {
    return delegate.length();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  @Override
  public boolean isEOF() throws IOException {
    return delegate.isEOF();
  }

  @Override
  public RandomAccessReadView createView(long startPosition, long streamLength) throws IOException {
    return new RandomAccessReadView(this, startPosition, streamLength);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}

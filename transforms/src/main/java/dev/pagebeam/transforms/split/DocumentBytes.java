package dev.pagebeam.transforms.split;

import dev.pagebeam.transforms.core.Hashes;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The bytes of one input file and their SHA-256 (the document id). Small files are held in memory;
 * files above the limit are spooled to a temporary file so that a huge PDF never has to fit in
 * the heap.
 */
final class DocumentBytes implements AutoCloseable {
  private static final int HEADER_SCAN = 1024;

  private final byte[] bytes;
  private final Path spool;
  private final long size;
  private final String sha256;
  private final byte[] head;

  private DocumentBytes(byte[] bytes, Path spool, long size, String sha256, byte[] head) {
    this.bytes = bytes;
    this.spool = spool;
    this.size = size;
    this.sha256 = sha256;
    this.head = head;
  }

  /** Reads the channel to its end; {@code expectedSize} is a hint (it may be wrong or -1). */
  static DocumentBytes read(ReadableByteChannel channel, long expectedSize, long inMemoryLimit) throws IOException {
    MessageDigest digest = Hashes.newSha256();
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    if (expectedSize >= 0 && expectedSize <= inMemoryLimit) {
      byte[] data = new byte[(int) Math.max(expectedSize, 16)];
      int length = 0;
      int n;
      while ((n = channel.read(buffer)) >= 0) {
        if (n == 0) {
          continue;
        }
        buffer.flip();
        if (length + buffer.remaining() > data.length) {
          long grown = Math.max((long) data.length * 2, (long) length + buffer.remaining());
          if (grown > inMemoryLimit) {
            // The file is larger than its metadata said: continue on disk.
            return spoolRest(channel, Arrays.copyOf(data, length), buffer, digest);
          }
          data = Arrays.copyOf(data, (int) grown);
        }
        int r = buffer.remaining();
        buffer.get(data, length, r);
        length += r;
        buffer.clear();
      }
      digest.update(data, 0, length);
      byte[] exact = length == data.length ? data : Arrays.copyOf(data, length);
      return new DocumentBytes(
          exact, null, length, Hashes.hex(digest.digest(), 32), Arrays.copyOf(exact, Math.min(length, HEADER_SCAN)));
    }
    return spoolRest(channel, new byte[0], buffer.flip(), digest);
  }

  private static DocumentBytes spoolRest(
      ReadableByteChannel channel, byte[] prefix, ByteBuffer pending, MessageDigest digest) throws IOException {
    Path spool = Files.createTempFile("pagebeam-doc-", ".pdf");
    long size = 0;
    byte[] head = new byte[HEADER_SCAN];
    int headLength = 0;
    try (OutputStream out = Files.newOutputStream(spool)) {
      ByteBuffer buffer = pending;
      byte[] chunk = new byte[64 * 1024];
      // prefix, then whatever is pending in the buffer, then the rest of the channel
      digest.update(prefix);
      out.write(prefix);
      size += prefix.length;
      int copy = Math.min(prefix.length, HEADER_SCAN);
      System.arraycopy(prefix, 0, head, 0, copy);
      headLength = copy;
      while (true) {
        while (buffer.hasRemaining()) {
          int r = Math.min(buffer.remaining(), chunk.length);
          buffer.get(chunk, 0, r);
          digest.update(chunk, 0, r);
          out.write(chunk, 0, r);
          if (headLength < HEADER_SCAN) {
            int h = Math.min(r, HEADER_SCAN - headLength);
            System.arraycopy(chunk, 0, head, headLength, h);
            headLength += h;
          }
          size += r;
        }
        buffer.clear();
        if (channel.read(buffer) < 0) {
          break;
        }
        buffer.flip();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(spool);
      throw e;
    }
    return new DocumentBytes(null, spool, size, Hashes.hex(digest.digest(), 32), Arrays.copyOf(head, headLength));
  }

  long size() {
    return size;
  }

  /** SHA-256 of the file's bytes: the document id. */
  String sha256() {
    return sha256;
  }

  /** True when "%PDF-" appears in the first kilobyte, where readers look for it. */
  boolean hasPdfHeader() {
    outer:
    for (int i = 0; i + 5 <= head.length; i++) {
      byte[] magic = {'%', 'P', 'D', 'F', '-'};
      for (int j = 0; j < magic.length; j++) {
        if (head[i + j] != magic[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** In-memory bytes, or null when the file was spooled. */
  byte[] inMemory() {
    return bytes;
  }

  /** The spool file, or null when the bytes are in memory. */
  File spoolFile() {
    return spool == null ? null : spool.toFile();
  }

  @Override
  public void close() throws IOException {
    if (spool != null) {
      Files.deleteIfExists(spool);
    }
  }
}

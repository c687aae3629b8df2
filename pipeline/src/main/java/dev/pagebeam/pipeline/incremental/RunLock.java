package dev.pagebeam.pipeline.incremental;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per sink: an OS file lock on {@code --lockDir/<hash of the sink>.lock}, which
 * also says who holds it (host, PID, start time). The operating system releases the lock when its
 * process dies, however it dies, so a lock left by a crashed run is free and is taken over (its
 * holder is logged). On several hosts, point --lockDir at a file system they share.
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

  /** Another run holds the lock. */
  public static final class HeldException extends Exception {
    private static final long serialVersionUID = 1L;

    HeldException(String message) {
      super(message);
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  static Path file(Path dir, String sink) {
    return dir.resolve("pagebeam-" + dev.pagebeam.io.store.ManifestEntry.key(sink) + ".lock");
  }

  /** Takes the lock of {@code sink}, or throws {@link HeldException} naming the run that holds it. */
  public static RunLock acquire(Path dir, String sink) throws IOException, HeldException {
    Files.createDirectories(dir);
    Path file = file(dir, sink);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      lock = null;
    }
    String previous = read(channel);
    if (lock == null) {
      channel.close();
      throw new HeldException("another pagebeam run is writing to " + sink + ": "
          + (previous.isBlank() ? "(holder unknown)" : previous) + " (lock " + file + "). This run did nothing;"
          + " it can start once that one ends.");
    }
    if (!previous.isBlank()) {
      LOG.warn("taking over the lock of {} from a run that ended without releasing it: {}", sink, previous);
    }
    String holder = "host " + host() + ", PID " + ProcessHandle.current().pid() + ", started "
        + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
    return new RunLock(file, channel, lock);
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(4096, channel.size()));
    channel.read(b, 0);
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
  }

  /** The host's name without a name lookup (nothing here may contact a resolver). */
  private static String host() {
    for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
      try {
        String name = Files.readString(Path.of(file)).trim();
        if (!name.isEmpty()) {
          return name;
        }
      } catch (IOException | RuntimeException e) {
        // try the next
      }
    }
    String env = System.getenv("HOSTNAME");
    return env == null || env.isBlank() ? "unknown host" : env;
  }

  /** Releases the lock; the emptied file says nobody holds it. */
  @Override
  public void close() throws IOException {
    try {
      channel.truncate(0);
      lock.release();
    } finally {
      channel.close();
    }
    LOG.debug("released {}", file);
  }
}

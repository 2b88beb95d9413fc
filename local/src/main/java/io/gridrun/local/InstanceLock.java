package io.gridrun.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The one local stack of a {@code GRIDRUN_HOME}: a lock on {@code $GRIDRUN_HOME/gridrun.lock} held
 * for as long as the stack runs, with the holder's process id in the file. The operating system
 * releases it when the process ends, however it ends.
 */
final class InstanceLock implements AutoCloseable {

  static final String FILE = "gridrun.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private InstanceLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of {@code home}; empty when another process (or this one) holds it. */
  static Optional<InstanceLock> tryAcquire(Path home) throws IOException {
    Files.createDirectories(home);
    FileChannel channel =
        FileChannel.open(
            home.resolve(FILE),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap(
            (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
    channel.force(false);
    return Optional.of(new InstanceLock(channel, lock));
  }

  /** The process id written by the holder of {@code home}'s lock, if it can be read. */
  static Optional<String> holder(Path home) {
    try {
      String pid = Files.readString(home.resolve(FILE), StandardCharsets.US_ASCII).strip();
      return pid.matches("\\d+") ? Optional.of(pid) : Optional.empty();
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the lock goes with the channel, or with the process
    }
  }
}

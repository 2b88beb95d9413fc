package io.gridrun.snapshot.environment;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Build logs as files {@code <root>/<environment>/<version>.log}. */
public class BuildLogs {

  private final Path root;

  public BuildLogs(Path root) {
    this.root = root;
  }

  public Path pathOf(String environment, int version) {
    return root.resolve(environment).resolve(version + ".log");
  }

  public OutputStream create(String environment, int version) throws IOException {
    Path file = pathOf(environment, version);
    Files.createDirectories(file.getParent());
    return Files.newOutputStream(file);
  }

  /** The bytes from {@code offset} on, at most {@code max}; empty when there are none (yet). */
  public byte[] read(String environment, int version, long offset, int max) throws IOException {
    Path file = pathOf(environment, version);
    if (!Files.isRegularFile(file)) {
      return new byte[0];
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long available = in.length() - offset;
      if (available <= 0) {
        return new byte[0];
      }
      byte[] bytes = new byte[(int) Math.min(available, max)];
      in.seek(offset);
      in.readFully(bytes);
      return bytes;
    }
  }
}

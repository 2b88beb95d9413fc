package io.gridrun.gateway.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads what was appended to a file since the last read, in whole lines: a line still being written
 * is held back until its newline arrives, or until the last read. Not thread-safe: one reader at a
 * time.
 */
final class FileTail {

  private static final int CHUNK = 64 * 1024;

  private final Path file;
  private long position;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  FileTail(Path file) {
    this.file = file;
  }

  /**
   * The complete lines appended since the last call; with {@code last}, also a final line without
   * newline. Empty while the file does not exist yet.
   */
  byte[] read(boolean last) throws IOException {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    if (Files.exists(file)) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        int n;
        while ((n = channel.read(buffer, position)) > 0) {
          position += n;
          appendLines(buffer.array(), n, lines);
          buffer.clear();
        }
      } catch (NoSuchFileException gone) {
        // deleted between the check and the open: nothing to read
      }
    }
    if (last && partial.size() > 0) {
      partial.writeTo(lines);
      partial.reset();
    }
    return lines.toByteArray();
  }

  private void appendLines(byte[] bytes, int length, ByteArrayOutputStream lines) {
    int lineStart = 0;
    for (int i = 0; i < length; i++) {
      if (bytes[i] == '\n') {
        partial.write(bytes, lineStart, i + 1 - lineStart);
        lines.writeBytes(partial.toByteArray());
        partial.reset();
        lineStart = i + 1;
      }
    }
    partial.write(bytes, lineStart, length - lineStart);
  }
}

package io.gridrun.runner.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Writes a step's log to its file and hands every complete line (in the pieces the step wrote them)
 * to {@code lines}, with the byte offset at which they begin; an unfinished last line is handed
 * over on close. The file stays the record; what {@code lines} does with the text never blocks or
 * fails the step.
 */
final class LiveLogStream extends OutputStream {

  private final OutputStream file;
  private final BiConsumer<Long, String> lines;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private long pendingOffset;
  private boolean closed;

  LiveLogStream(OutputStream file, BiConsumer<Long, String> lines) {
    this.file = file;
    this.lines = lines;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    file.write(bytes, offset, length);
    int lastNewline = -1;
    for (int i = offset + length - 1; i >= offset; i--) {
      if (bytes[i] == '\n') {
        lastNewline = i;
        break;
      }
    }
    if (lastNewline < 0) {
      pending.write(bytes, offset, length);
      return;
    }
    pending.write(bytes, offset, lastNewline + 1 - offset);
    handOver();
    pending.write(bytes, lastNewline + 1, offset + length - lastNewline - 1);
  }

  private void handOver() {
    if (pending.size() == 0) {
      return;
    }
    byte[] text = pending.toByteArray();
    pending.reset();
    long at = pendingOffset;
    pendingOffset += text.length;
    try {
      lines.accept(at, new String(text, StandardCharsets.UTF_8));
    } catch (RuntimeException ignored) {
      // live lines are a convenience: the stored log is complete whatever happens here
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    file.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      handOver();
    } finally {
      file.close();
    }
  }
}

package io.gridrun.runner.execution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A step's log that stores at most {@code cap} bytes of the step's output. Output beyond the cap is
 * accepted and discarded, so the step is never blocked; gridrun's own lines ({@link #line}) are
 * always written. Closing adds a last line saying where the output was truncated, if it was.
 * Thread-safe: a runtime's output thread and the executor write to it.
 */
final class CappedLog extends OutputStream {

  private final OutputStream log;
  private final long cap;
  private long stored;
  private boolean truncated;
  private boolean atLineStart = true;
  private boolean closed;

  CappedLog(OutputStream log, long cap) {
    this.log = log;
    this.cap = cap;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    if (closed || length <= 0) {
      return;
    }
    long room = cap - stored;
    int kept = (int) Math.min(length, Math.max(0, room));
    if (kept < length) {
      truncated = true;
    }
    if (kept > 0) {
      log.write(bytes, offset, kept);
      stored += kept;
      atLineStart = bytes[offset + kept - 1] == '\n';
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!closed) {
      log.flush();
    }
  }

  /** A line from gridrun itself, on a line of its own, whatever the cap. */
  synchronized void line(String text) throws IOException {
    if (closed) {
      return;
    }
    String prefix = atLineStart ? "" : "\n";
    log.write((prefix + text + "\n").getBytes(StandardCharsets.UTF_8));
    log.flush();
    atLineStart = true;
  }

  synchronized boolean truncated() {
    return truncated;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (truncated) {
        line(
            "gridrun: log truncated at "
                + cap
                + " bytes (gridrun.runner.max-log-bytes); the rest of the output was discarded");
      }
    } finally {
      closed = true;
      log.close();
    }
  }
}

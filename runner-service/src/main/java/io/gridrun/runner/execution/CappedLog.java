package io.gridrun.runner.execution;

import io.gridrun.storage.logs.LineTimes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * A step's log that stores at most {@code cap} bytes of the step's output. Output beyond the cap is
 * accepted and discarded, so the step is never blocked; gridrun's own lines ({@link #line}) are
 * always written. Closing adds a last line saying where the output was truncated, if it was. When
 * given a {@code times} writer, it records when each stored line began ({@link LineTimes}).
 * Thread-safe: a runtime's output thread and the executor write to it.
 */
final class CappedLog extends OutputStream {

  private final OutputStream log;
  private final Writer times;
  private final Clock clock;
  private final long cap;
  private long stored;
  private long written;
  private boolean truncated;
  private boolean atLineStart = true;
  private boolean closed;

  CappedLog(OutputStream log, long cap) {
    this(log, null, cap, Clock.systemUTC());
  }

  /**
   * @param times where line times go; null keeps none
   */
  CappedLog(OutputStream log, Writer times, long cap, Clock clock) {
    this.log = log;
    this.times = times;
    this.cap = cap;
    this.clock = clock;
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
      stamp(bytes, offset, kept);
      log.write(bytes, offset, kept);
      stored += kept;
      written += kept;
    }
  }

  /** Records the start of every line that begins within these bytes (readable at once). */
  private void stamp(byte[] bytes, int offset, int length) throws IOException {
    boolean recorded = false;
    for (int i = 0; i < length; i++) {
      if (atLineStart && times != null) {
        LineTimes.write(times, written + i, clock.instant());
        recorded = true;
      }
      atLineStart = bytes[offset + i] == '\n';
    }
    if (recorded) {
      times.flush();
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (!closed) {
      log.flush();
      if (times != null) {
        times.flush();
      }
    }
  }

  /** A line from gridrun itself, on a line of its own, whatever the cap. */
  synchronized void line(String text) throws IOException {
    if (closed) {
      return;
    }
    byte[] bytes = ((atLineStart ? "" : "\n") + text + "\n").getBytes(StandardCharsets.UTF_8);
    stamp(bytes, 0, bytes.length);
    log.write(bytes);
    written += bytes.length;
    flush();
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
      try {
        log.close();
      } finally {
        if (times != null) {
          times.close();
        }
      }
    }
  }
}

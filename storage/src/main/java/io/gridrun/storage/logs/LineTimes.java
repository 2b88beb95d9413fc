package io.gridrun.storage.logs;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * When each line of a step's log began: a text file of one entry per line, {@code <byte offset of
 * the line in the log> <epoch milliseconds>}, written as the lines arrive. The log itself stays the
 * step's output exactly as it wrote it; readers who want times put them in front of the lines.
 */
public final class LineTimes {

  private LineTimes() {}

  /** Records that a line begins at {@code offset} of the log at {@code at}. */
  public static void write(Writer times, long offset, Instant at) throws IOException {
    times.write(offset + " " + at.toEpochMilli() + "\n");
  }

  /**
   * Reads the log line by line, each line (with its line break) given to {@code out} behind the
   * time it began, as {@code <ISO-8601 UTC> <line>}. Lines without a recorded time (a log written
   * before times were kept) get none. Streams both files: memory does not grow with the log.
   */
  public static void timestamped(Path log, Path times, Consumer<String> out) throws IOException {
    try (Reader reader = new Reader(log, times)) {
      String line;
      while ((line = reader.next()) != null) {
        out.accept(line);
      }
    }
  }

  /** The timestamped lines of a log, one at a time, as a reader asks for them. */
  public static final class Reader implements java.io.Closeable {
    private final InputStream in;
    private final BufferedReader entries;
    private Entry next;
    private Instant current;
    private long offset;

    public Reader(Path log, Path times) throws IOException {
      this.in = new java.io.BufferedInputStream(Files.newInputStream(log));
      try {
        this.entries =
            Files.exists(times)
                ? Files.newBufferedReader(times, StandardCharsets.UTF_8)
                : new BufferedReader(new java.io.StringReader(""));
        this.next = Entry.read(entries);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    }

    /** The next line behind its time, with its line break if it has one; null at the end. */
    public String next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1) {
        if (line.size() == 0) {
          while (next != null && next.offset() <= offset) {
            current = next.at();
            next = Entry.read(entries);
          }
        }
        line.write(b);
        offset++;
        if (b == '\n') {
          break;
        }
      }
      return line.size() == 0 ? null : prefix(current) + line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } finally {
        entries.close();
      }
    }
  }

  private static String prefix(Instant at) {
    return at == null ? "" : at + " ";
  }

  private record Entry(long offset, Instant at) {
    static Entry read(BufferedReader entries) throws IOException {
      String text;
      while ((text = entries.readLine()) != null) {
        String[] parts = text.trim().split(" ");
        // an entry being written may be cut short: epoch milliseconds of our time have 13 digits
        if (parts.length == 2 && parts[1].length() >= 13) {
          try {
            return new Entry(
                Long.parseLong(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])));
          } catch (NumberFormatException partlyWritten) {
            // the last entry may be incomplete while the step runs
          }
        }
      }
      return null;
    }
  }
}

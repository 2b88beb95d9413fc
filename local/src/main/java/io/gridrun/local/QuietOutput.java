package io.gridrun.local;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what libraries print straight to standard output or error (the Kafka broker does as it
 * formats its storage) off the console while the stack starts or stops: each line is logged
 * instead, to the log of the part of the stack that printed it (see {@link ServiceLogs}).
 */
final class QuietOutput {

  private QuietOutput() {}

  static <T> T muted(Callable<T> action) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(logging("stdout"));
    System.setErr(logging("stderr"));
    try {
      return action.call();
    } finally {
      System.out.flush();
      System.err.flush();
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static PrintStream logging(String name) {
    return new PrintStream(
        new LineLogger(LoggerFactory.getLogger(name)), true, StandardCharsets.UTF_8);
  }

  /** Logs what is written to it a line at a time. */
  private static final class LineLogger extends OutputStream {

    private final Logger logger;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineLogger(Logger logger) {
      this.logger = logger;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        flushLine();
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void flush() {
      flushLine();
    }

    private void flushLine() {
      if (line.size() > 0) {
        logger.info(line.toString(StandardCharsets.UTF_8).stripTrailing());
        line.reset();
      }
    }
  }
}

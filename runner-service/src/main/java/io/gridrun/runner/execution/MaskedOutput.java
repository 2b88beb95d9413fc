package io.gridrun.runner.execution;

import io.gridrun.common.secret.SecretMasking;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A step's output on its way to the log with every occurrence of a secret's value replaced by
 * {@code ••••}. Output is passed on line by line (a value split over two writes is still found); a
 * line longer than {@link #MAX_LINE} bytes is passed on in pieces of that size, each masked alone.
 * {@link #finish} passes on what is left of a last line without a newline.
 */
final class MaskedOutput extends OutputStream {

  static final int MAX_LINE = 64 * 1024;

  private final OutputStream log;
  private final List<String> values;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private MaskedOutput(OutputStream log, List<String> values) {
    this.log = log;
    this.values = values;
  }

  /** {@code log} itself when there is nothing to mask. */
  static OutputStream of(OutputStream log, List<String> values) {
    return values.isEmpty() ? log : new MaskedOutput(log, values);
  }

  /** Passes on the last line if it has no newline (the step ended). */
  static void finish(OutputStream output) throws IOException {
    if (output instanceof MaskedOutput masked) {
      masked.pass();
    }
  }

  @Override
  public synchronized void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      line.write(bytes[i]);
      if (bytes[i] == '\n' || line.size() >= MAX_LINE) {
        pass();
      }
    }
  }

  private synchronized void pass() throws IOException {
    if (line.size() == 0) {
      return;
    }
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    log.write(SecretMasking.mask(text, values).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void flush() throws IOException {
    log.flush();
  }
}

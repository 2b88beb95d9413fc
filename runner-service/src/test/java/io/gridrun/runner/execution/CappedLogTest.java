package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CappedLogTest {

  private final ByteArrayOutputStream stored = new ByteArrayOutputStream();

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keepsOutputUpToTheCapDiscardsTheRestAndSaysSoAtTheEnd() throws Exception {
    CappedLog log = new CappedLog(stored, 10);

    log.write(bytes("12345678"));
    log.write(bytes("abcdef"));
    log.write(bytes("more and more"));
    log.close();

    assertThat(stored.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "12345678ab\ngridrun: log truncated at 10 bytes (gridrun.runner.max-log-bytes);"
                + " the rest of the output was discarded\n");
  }

  @Test
  void outputExactlyAtTheCapIsNotTruncated() throws Exception {
    CappedLog log = new CappedLog(stored, 4);

    log.write(bytes("abc\n"));
    log.close();

    assertThat(stored.toString(StandardCharsets.UTF_8)).isEqualTo("abc\n");
  }

  @Test
  void gridrunsOwnLinesAreAlwaysWrittenOnALineOfTheirOwn() throws Exception {
    CappedLog log = new CappedLog(stored, 3);

    log.write(bytes("ab"));
    log.line("--- attempt 2 of 2 ---");
    log.write(bytes("cd"));
    log.line("gridrun: note");
    log.close();

    assertThat(stored.toString(StandardCharsets.UTF_8))
        .startsWith("ab\n--- attempt 2 of 2 ---\nc\ngridrun: note\ngridrun: log truncated at 3");
  }

  @Test
  void writesNothingAfterItWasClosed() throws Exception {
    CappedLog log = new CappedLog(stored, 100);
    log.write(bytes("a"));
    log.close();

    log.write(bytes("late"));
    log.line("late");
    log.close();

    assertThat(stored.toString(StandardCharsets.UTF_8)).isEqualTo("a");
  }
}

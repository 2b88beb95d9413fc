package io.gridrun.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailTest {

  @TempDir Path temp;

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void readsOnlyWhatWasAppendedInWholeLinesAndFlushesTheRestAtTheEnd() throws Exception {
    Path log = temp.resolve("step.log");
    FileTail tail = new FileTail(log);

    assertThat(tail.read(false)).isEmpty(); // not started yet
    append(log, "one\ntw");
    assertThat(text(tail.read(false))).isEqualTo("one\n");
    assertThat(tail.read(false)).isEmpty();
    append(log, "o\nthree");
    assertThat(text(tail.read(false))).isEqualTo("two\n");
    assertThat(text(tail.read(true))).isEqualTo("three");
  }

  @Test
  void readsAppendsLargerThanOneChunk() throws Exception {
    Path log = temp.resolve("big.log");
    String line = "x".repeat(999) + "\n";
    append(log, line.repeat(200));
    FileTail tail = new FileTail(log);

    assertThat(tail.read(false)).hasSize(200_000);
  }
}

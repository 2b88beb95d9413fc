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

  @Test
  void recordsWhenEachStoredLineBeganSoReadersCanPutTimesInFrontOfTheLines(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path logFile = dir.resolve("s.log");
    java.nio.file.Path timesFile = dir.resolve("s.times");
    java.time.Instant t0 = java.time.Instant.parse("2026-11-29T08:00:00Z");
    java.util.concurrent.atomic.AtomicLong seconds = new java.util.concurrent.atomic.AtomicLong();
    java.time.Clock clock =
        new java.time.Clock() {
          @Override
          public java.time.Instant instant() {
            return t0.plusSeconds(seconds.get());
          }

          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    CappedLog log =
        new CappedLog(
            java.nio.file.Files.newOutputStream(logFile),
            java.nio.file.Files.newBufferedWriter(timesFile),
            14,
            clock);

    log.write(bytes("one\ntw"));
    seconds.set(5);
    log.write(bytes("o\nthree\nfour")); // "four" is beyond the cap of 14 bytes
    seconds.set(9);
    log.line("gridrun: note");
    log.close();

    assertThat(java.nio.file.Files.readString(logFile))
        .startsWith("one\ntwo\nthree\ngridrun: note\n");
    java.util.List<String> lines = new java.util.ArrayList<>();
    io.gridrun.storage.logs.LineTimes.timestamped(logFile, timesFile, lines::add);
    assertThat(lines)
        .startsWith(
            "2026-11-29T08:00:00Z one\n",
            "2026-11-29T08:00:00Z two\n",
            "2026-11-29T08:00:05Z three\n",
            "2026-11-29T08:00:09Z gridrun: note\n");
  }
}

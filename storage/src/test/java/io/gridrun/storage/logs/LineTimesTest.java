package io.gridrun.storage.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineTimesTest {

  @TempDir Path dir;

  @Test
  void anEntryCutShortWhileBeingWrittenIsNotTakenForATime() throws Exception {
    Path log = Files.writeString(dir.resolve("s.log"), "one\ntwo\nthree\n");
    // the entry of "three" (offset 8) is being written: only part of its time is there
    Path times =
        Files.writeString(dir.resolve("s.times"), "0 1796025600000\n4 1796025602000\n8 179");
    List<String> lines = new ArrayList<>();

    LineTimes.timestamped(log, times, lines::add);

    assertThat(lines)
        .containsExactly(
            "2026-11-30T08:00:00Z one\n",
            "2026-11-30T08:00:02Z two\n",
            "2026-11-30T08:00:02Z three\n");
  }

  @Test
  void aLogWithoutTimesIsReadAsItIs() throws Exception {
    Path log = Files.writeString(dir.resolve("s.log"), "one\nlast without newline");
    List<String> lines = new ArrayList<>();

    LineTimes.timestamped(log, dir.resolve("missing.times"), lines::add);

    assertThat(lines).containsExactly("one\n", "last without newline");
  }
}

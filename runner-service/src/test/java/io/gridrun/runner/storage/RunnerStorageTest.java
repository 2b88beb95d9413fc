package io.gridrun.runner.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerStorageTest {

  @TempDir Path temp;

  @Test
  void aRunnerWithoutSharedDiskRefusesToStartWithoutData() {
    assertThatThrownBy(
            () ->
                RunnerStorage.objectStore(
                    null,
                    temp.resolve("logs"),
                    temp.resolve("cache"),
                    Long.MAX_VALUE,
                    temp.resolve("no-such-data"),
                    (k, v) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gridrun.storage.data")
        .hasMessageContaining("does not exist")
        .hasMessageContaining("every runner shares");
  }

  @Test
  void sharedDirectoriesAreRequiredWithoutAnObjectStore() {
    assertThatThrownBy(() -> RunnerStorage.shared(null, temp, temp))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gridrun.storage.kind=s3");
  }

  @Test
  void liveLinesAreHandedOverWholeWithTheirOffsetsAndTheFileGetsEveryByte() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    List<String> handed = new ArrayList<>();
    LiveLogStream stream =
        new LiveLogStream(file, (offset, text) -> handed.add(offset + ":" + text));

    stream.write("one\ntw".getBytes(StandardCharsets.UTF_8));
    stream.write("o\nthr".getBytes(StandardCharsets.UTF_8));
    stream.write("ee".getBytes(StandardCharsets.UTF_8));
    assertThat(handed).containsExactly("0:one\n", "4:two\n");
    stream.close();

    assertThat(handed).containsExactly("0:one\n", "4:two\n", "8:three");
    assertThat(file.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree");
  }

  @Test
  void aFailingTopicNeverFailsTheStepsLog() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    LiveLogStream stream =
        new LiveLogStream(
            file,
            (offset, text) -> {
              throw new IllegalStateException("broker gone");
            });

    stream.write("line\n".getBytes(StandardCharsets.UTF_8));
    stream.close();

    assertThat(file.toString(StandardCharsets.UTF_8)).isEqualTo("line\n");
  }
}

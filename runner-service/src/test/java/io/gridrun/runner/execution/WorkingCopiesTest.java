package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.WorkingCopiesReleased;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingCopiesTest {

  @TempDir Path temp;
  private Path work;
  private StepLogStore logs;
  private WorkingCopies copies;

  @BeforeEach
  void runsOfTwoJobs() throws Exception {
    work = temp.resolve("work");
    logs = new StepLogStore(temp.resolve("logs"));
    copies = new WorkingCopies(work, logs);
    for (String run : List.of("j-a-r0000000", "j-a-r0000001", "j-b-r0000000")) {
      Files.createDirectories(work.resolve(run).resolve("project"));
      Files.writeString(work.resolve(run).resolve("project/out.txt"), "x");
      try (var out = logs.create(run, "train")) {
        out.write("log\n".getBytes());
      }
    }
  }

  @Test
  void retentionDeletesTheNamedRunsWorkingCopiesAndKeepsTheirLogs() {
    copies.release(
        new WorkingCopiesReleased("e", "j-a", Instant.now(), List.of("j-a-r0000000"), false));

    assertThat(work.resolve("j-a-r0000000")).doesNotExist();
    assertThat(work.resolve("j-a-r0000001")).exists();
    assertThat(logs.exists("j-a-r0000000", "train")).isTrue();
  }

  @Test
  void aDeletedJobLosesEveryWorkingCopyAndLogOfItsOwnOnly() {
    copies.release(new WorkingCopiesReleased("e", "j-a", Instant.now(), null, true));

    assertThat(work.resolve("j-a-r0000000")).doesNotExist();
    assertThat(work.resolve("j-a-r0000001")).doesNotExist();
    assertThat(logs.exists("j-a-r0000001", "train")).isFalse();
    assertThat(work.resolve("j-b-r0000000")).exists();
    assertThat(logs.exists("j-b-r0000000", "train")).isTrue();
  }

  @Test
  void namesThatCouldLeaveTheWorkDirectoryAreIgnored() {
    copies.release(new WorkingCopiesReleased("e", "j-a", Instant.now(), List.of("../logs"), true));

    assertThat(temp.resolve("logs")).exists();
  }
}

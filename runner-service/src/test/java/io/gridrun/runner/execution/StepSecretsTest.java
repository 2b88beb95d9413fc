package io.gridrun.runner.execution;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.secret.SecretBox;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.RecordedEvents;
import io.gridrun.runner.TestRuns;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets at the runner: opened into the step's environment only, masked in the step's log, and a
 * value that does not open fails the step with the reason (the runner goes on).
 */
class StepSecretsTest {

  @TempDir Path temp;

  private final SecretBox box = SecretBox.ofBase64(SecretBox.newKey());
  private final FakeRuntime runtime = new FakeRuntime();
  private final RecordedEvents events = new RecordedEvents();
  private FileSystemBlobStore blobs;
  private StepLogStore logs;
  private String manifest;

  @BeforeEach
  void snapshot() {
    blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    logs = new StepLogStore(temp.resolve("logs"));
    manifest = TestRuns.snapshot(blobs, Map.of("input.txt", "x"));
  }

  private RunExecutor executor(SecretBox key) {
    return new RunExecutor(
        new RunExecutor.Parts(runtime, blobs, logs, events, new Cancellations()),
        new RunExecutor.Settings(
            temp.resolve("work"),
            temp.resolve("data"),
            "runner-1",
            2,
            1024,
            RunExecutor.Settings.DEFAULT_MAX_LOG_BYTES,
            null,
            key),
        Clock.systemUTC());
  }

  private RunRequested run(Map<String, String> env) {
    return TestRuns.run(
        "j-sec",
        manifest,
        pipeline(step("use")),
        TestRuns.IMAGE,
        new RunParameters(Map.of(), Map.of()),
        env);
  }

  private String log(RunRequested run) throws Exception {
    return Files.readString(
        temp.resolve("logs").resolve(run.runId()).resolve("use.log"), StandardCharsets.UTF_8);
  }

  @Test
  void theStepGetsTheOpenedValueAndItsLogShowsDotsWhereverItPrintsIt() throws Exception {
    runtime.on(
        "use",
        (launch, out) -> {
          String key = launch.env().get("API_KEY");
          out.write(("key=" + key.substring(0, 4)).getBytes(StandardCharsets.UTF_8));
          out.write((key.substring(4) + " twice " + key + "\npartial " + key).getBytes());
          return 0;
        });
    RunRequested run = run(Map.of("MODE", "m", "API_KEY", box.seal("API_KEY", "s3cr3t-value")));

    executor(box).execute(run);

    assertThat(events.finished("use").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(runtime.launchOf("use").env())
        .containsEntry("API_KEY", "s3cr3t-value")
        .containsEntry("MODE", "m");
    assertThat(log(run)).contains("key=•••• twice ••••\npartial ••••").doesNotContain("s3cr3t");
  }

  @Test
  void aTamperedSecretFailsTheStepWithTheReasonAndNoLaunch() throws Exception {
    String sealed = box.seal("API_KEY", "s3cr3t-value");
    String tampered =
        sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
    RunRequested run = run(Map.of("API_KEY", tampered));

    executor(box).execute(run);

    StepFinished use = events.finished("use");
    assertThat(use.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(use.reason())
        .isEqualTo(
            "secret 'API_KEY' could not be decrypted: its authentication failed (altered, or"
                + " sealed under another key)");
    assertThat(runtime.launched()).isEmpty();
    assertThat(log(run)).contains("gridrun: secret 'API_KEY' could not be decrypted");

    RunRequested another = run(Map.of("API_KEY", box.seal("API_KEY", "v")));
    executor(null).execute(another);
    assertThat(events.all().stream().filter(StepFinished.class::isInstance).toList())
        .last()
        .satisfies(
            e ->
                assertThat(((StepFinished) e).reason())
                    .contains("this runner has no key (gridrun.secrets.key"));
  }

  @Test
  void maskedOutputPassesLinesOnMaskedAndTheLastPartialLineAtTheEnd() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    var out = MaskedOutput.of(log, List.of("abc"));
    out.write("xa".getBytes());
    out.write("bc y\nab".getBytes());
    assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo("x•••• y\n");
    out.write("c".getBytes());
    MaskedOutput.finish(out);
    assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo("x•••• y\n••••");
    assertThat(MaskedOutput.of(log, List.of())).isSameAs(log);
  }
}

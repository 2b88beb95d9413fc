package io.gridrun.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.lease.AttemptsInFlight;
import io.gridrun.runner.lease.FencedEvents;
import io.gridrun.runner.lease.Heartbeats;
import io.gridrun.runner.runtime.ProcessRuntime;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner whose lease renewals stop being acknowledged (its broker stopped) gives its attempts up
 * with their steps killed before job-service can see any of their leases expire, so that the run's
 * next attempt, which job-service requests only then, never runs beside the old one. Real runner
 * parts (heartbeats on the housekeeping threads, the executor, local processes), a broker that
 * stops answering.
 */
class LeaseGiveUpTest {

  private static final Duration LEASE = Duration.ofSeconds(6);

  /** Appends the time (ms) to {@code /data/<run>.alive} ten times a second, for a minute. */
  private static final String STEP =
      """
      echo $$ > "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.pid"
      i=0
      while [ $i -lt 600 ]; do
        date +%s%3N >> "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.alive"
        sleep 0.1
        i=$((i+1))
      done
      touch "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.done"
      """;

  @TempDir Path temp;

  private volatile boolean brokerAnswers = true;
  private final List<GridrunEvent> acknowledged = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> lastRenewal = new ConcurrentHashMap<>();
  private Housekeeping housekeeping;

  /** The broker: acknowledges while it answers, never once it stopped. */
  private CompletableFuture<Void> send(GridrunEvent event) {
    if (!brokerAnswers) {
      return new CompletableFuture<>();
    }
    acknowledged.add(event);
    if (event instanceof RunHeartbeat beat) {
      lastRenewal.merge(beat.runId(), Instant.now(), (a, b) -> a.isAfter(b) ? a : b);
    }
    return CompletableFuture.completedFuture(null);
  }

  @AfterEach
  void stop() {
    if (housekeeping != null) {
      housekeeping.stop();
    }
  }

  @Test
  void stepsOfAttemptsWhoseLeasesCannotBeRenewedAreKilledBeforeTheLeasesCouldExpire()
      throws Exception {
    FileSystemBlobStore blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    String manifest = TestRuns.snapshot(blobs, Map.of("mark.sh", STEP));
    Path data = temp.resolve("data");
    AttemptsInFlight inFlight = new AttemptsInFlight();
    Cancellations cancellations = new Cancellations();
    Heartbeats heartbeats =
        new Heartbeats(
            inFlight,
            cancellations,
            this::send,
            "runner-a",
            Duration.ofSeconds(1),
            Clock.systemUTC());
    RunExecutor executor =
        new RunExecutor(
            new RunExecutor.Parts(
                new ProcessRuntime(),
                blobs,
                new StepLogStore(temp.resolve("logs")),
                new FencedEvents(
                    event -> {
                      try {
                        send(event).get(30, TimeUnit.SECONDS);
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    },
                    inFlight),
                cancellations),
            new RunExecutor.Settings(temp.resolve("work"), data, "runner-a", 4, 65536),
            Clock.systemUTC());
    housekeeping = new Housekeeping(heartbeats, new ProcessRuntime(), Duration.ofMinutes(1));
    housekeeping.start();
    List<RunRequested> runs = List.of(run(manifest), run(manifest), run(manifest));
    // one thread per run, as a runner's run slots (the common pool may have only one)
    java.util.concurrent.ExecutorService slots =
        java.util.concurrent.Executors.newFixedThreadPool(runs.size());
    List<CompletableFuture<Void>> executions =
        runs.stream()
            .map(
                run ->
                    CompletableFuture.runAsync(
                        () -> {
                          inFlight.begin(run, Instant.now());
                          try {
                            executor.execute(run);
                          } finally {
                            inFlight.end(run);
                          }
                        },
                        slots))
            .toList();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                runs.stream()
                    .allMatch(
                        r ->
                            Files.exists(data.resolve(r.runId() + ".alive"))
                                && lastRenewal.containsKey(r.runId())));

    brokerAnswers = false; // stopped: no heartbeat is acknowledged any more

    for (RunRequested run : runs) {
      // job-service extends a lease when it applies a heartbeat, so no lease can expire before
      // the last acknowledged heartbeat plus the lease timeout: the step must be dead by then
      Instant earliestExpiry = lastRenewal.get(run.runId()).plus(LEASE);
      await().atMost(LEASE.multipliedBy(3)).until(() -> !Instant.now().isBefore(earliestExpiry));
      long pid = Long.parseLong(Files.readString(data.resolve(run.runId() + ".pid")).trim());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("the step of %s is killed before its lease can expire", run.runId())
          .isFalse();
      List<Long> alive =
          Files.readAllLines(data.resolve(run.runId() + ".alive")).stream()
              .filter(l -> l.matches("\\d+"))
              .map(Long::parseLong)
              .toList();
      assertThat(alive)
          .as("the step of %s wrote nothing once its next attempt could start", run.runId())
          .allMatch(ms -> ms < earliestExpiry.toEpochMilli());
      assertThat(data.resolve(run.runId() + ".done")).doesNotExist();
    }

    brokerAnswers = true;
    CompletableFuture.allOf(executions.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    slots.shutdown();
    assertThat(acknowledged)
        .as("no outcome is reported for an attempt given up")
        .noneMatch(StepFinished.class::isInstance);
  }

  private static RunRequested run(String manifest) {
    RunRequested run =
        TestRuns.run(
            manifest,
            TestRuns.pipeline(
                new io.gridrun.common.pipeline.StepDefinition(
                    "mark", "mark.sh", "busybox", List.of(), null, null)));
    return TestRuns.attempt(run, 1, LEASE);
  }
}

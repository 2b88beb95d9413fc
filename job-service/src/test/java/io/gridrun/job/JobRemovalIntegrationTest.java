package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobDeleted;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.Topics;
import io.gridrun.common.event.WorkingCopiesReleased;
import io.gridrun.common.job.JobOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleting jobs and retaining only the newest runs' working copies. */
class JobRemovalIntegrationTest extends JobServiceTestBase {

  private KafkaConsumer<String, String> commands;
  private final List<GridrunEvent> seen = new ArrayList<>();

  @BeforeEach
  void listenToCommands() {
    commands = fromTheStart(broker, Topics.CONTROL, Topics.JOBS);
  }

  @AfterEach
  void close() {
    commands.close();
  }

  @Test
  void deletingARunningJobCancelsItRemovesItAndItsRunsAndReleasesItsSnapshotAndFiles() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(snapshotCreated(jobId));
    List<Requested> runs = awaitRequests(jobId, 6);
    runSucceeds(jobId, runs.get(0).key(), 0.1);

    http.delete().uri("/api/v1/jobs/{id}", jobId).exchange().expectStatus().isAccepted();

    http.get().uri("/api/v1/jobs/{id}", jobId).exchange().expectStatus().isNotFound();
    http.get().uri("/api/v1/runs/{id}", runs.get(0).key()).exchange().expectStatus().isNotFound();
    http.get().uri("/api/v1/jobs/{id}/runs", jobId).exchange().expectStatus().isNotFound();
    http.delete().uri("/api/v1/jobs/{id}", jobId).exchange().expectStatus().isNotFound();
    List<GridrunEvent> events = awaitCommands(jobId, 3);
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RunCancelRequested.class, c -> assertThat(c.runId()).isNull()))
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        WorkingCopiesReleased.class,
                        w -> {
                          assertThat(w.runIds()).isNull();
                          assertThat(w.logsToo()).isTrue();
                        }))
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        JobDeleted.class, d -> assertThat(d.snapshotId()).isEqualTo("s-" + jobId)));
    assertNoMoreRequestsThan(jobId, 6);
  }

  @Test
  void onlyTheNewestFinishedRunsKeepTheirWorkingCopiesButAllKeepStatusAndRecords() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null, new JobOptions(null, null, null, 2, null)));
    publisher.publishAndWait(snapshotCreated(jobId));
    List<Requested> runs = awaitRequests(jobId, 6);

    for (Requested run : runs) {
      runSucceeds(jobId, run.key(), 0.1);
    }

    await().atMost(WAIT).until(() -> "SUCCESS".equals(job(jobId).get("status")));
    assertThat(job(jobId)).containsEntry("workingCopiesRemoved", 4);
    List<WorkingCopiesReleased> released =
        awaitCommands(jobId, 1).stream()
            .filter(WorkingCopiesReleased.class::isInstance)
            .map(WorkingCopiesReleased.class::cast)
            .toList();
    assertThat(released).hasSize(1);
    assertThat(released.get(0).runIds()).containsExactlyElementsOf(runIds(jobId, 4));
    assertThat(released.get(0).logsToo()).isFalse();
    assertThat(run(runs.get(0).key())).containsEntry("status", "SUCCESS");
  }

  /** Waits for at least {@code count} control or job commands about the job (not JobCreated). */
  private List<GridrunEvent> awaitCommands(String jobId, int count) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              commands
                  .poll(Duration.ofMillis(200))
                  .forEach(record -> seen.add(EventCodec.decode(record.value())));
              return commandsOf(jobId).size() >= count;
            });
    return commandsOf(jobId);
  }

  private List<GridrunEvent> commandsOf(String jobId) {
    return seen.stream()
        .filter(e -> e.jobId().equals(jobId))
        .filter(
            e ->
                e instanceof RunCancelRequested
                    || e instanceof WorkingCopiesReleased
                    || e instanceof JobDeleted)
        .toList();
  }
}

package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunLifecycle;
import io.gridrun.job.persistence.RunStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A crash between a run's write and its job's write, on Kafka and mongo-java-server: the run's
 * document shows the change, the job does not count it, and the event is delivered again (its
 * offset was never committed). The job must count the run and end.
 */
class CrashBetweenWritesIntegrationTest extends JobServiceTestBase {

  @Autowired RunStore runs;

  @Test
  void theRedeliveredEventMakesTheJobCountTheRunItsCrashLeftUncounted() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(snapshotCreated(jobId));
    List<Requested> requests = awaitRequests(jobId, 6);
    for (Requested request : requests.subList(0, 5)) {
      runSucceeds(jobId, request.key(), 0.1);
    }
    String last = requests.get(5).key();
    publisher.publishAndWait(new RunStarted(id(), jobId, last, at(0), 1, "runner-1"));
    publisher.publishAndWait(new StepStarted(id(), jobId, last, "prep", at(1), 1));
    publisher.publishAndWait(
        stepFinished(jobId, last, "prep", ExecutionStatus.SUCCESS, 0, null, Map.of()));
    publisher.publishAndWait(new StepStarted(id(), jobId, last, "train", at(3), 1));
    await()
        .atMost(WAIT)
        .until(
            () ->
                runCounts(jobId).equals(counts(0, 1, 5, 0, 0))
                    && "STARTED".equals(steps(run(last)).get(1).get("status")));
    StepFinished end =
        stepFinished(jobId, last, "train", ExecutionStatus.SUCCESS, 0, null, Map.of("loss", 0.2));

    // the crash: the run was written, the job was not
    runs.replace(RunLifecycle.stepFinished(runs.find(last).orElseThrow(), end).run());
    assertThat(run(last).get("status")).isEqualTo("SUCCESS");
    assertThat(job(jobId).get("status")).isEqualTo("STARTED");

    publisher.publishAndWait(end); // the redelivery

    await().atMost(WAIT).until(() -> "SUCCESS".equals(job(jobId).get("status")));
    assertThat(runCounts(jobId)).isEqualTo(counts(0, 0, 6, 0, 0));
  }

  private Object runCounts(String jobId) {
    return job(jobId).get("runCounts");
  }
}

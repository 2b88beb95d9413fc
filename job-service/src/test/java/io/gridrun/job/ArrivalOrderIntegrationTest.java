package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.SnapshotFailed;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A job's snapshot event and its creation come from different topics; after a rebalance or a
 * restart a consumer may read them in either order.
 */
class ArrivalOrderIntegrationTest extends JobServiceTestBase {

  @Test
  void aSnapshotThatArrivesBeforeItsJobWaitsForTheJobAndThenStartsIt() {
    String jobId = newJobId();

    publisher.publishAndWait(snapshotCreated(jobId));
    publisher.publishAndWait(jobCreated(jobId, null));

    assertThat(awaitRequests(jobId, 6)).hasSize(6);
    await().atMost(WAIT).until(() -> "STARTED".equals(job(jobId).get("status")));
    assertThat(job(jobId)).containsEntry("snapshotId", "s-" + jobId);
  }

  @Test
  void aSnapshotFailureThatArrivesBeforeItsJobStillFailsTheJob() {
    String jobId = newJobId();

    publisher.publishAndWait(new SnapshotFailed(id(), jobId, Instant.now(), "image gone"));
    publisher.publishAndWait(jobCreated(jobId, null));

    await().atMost(WAIT).until(() -> exists(jobId) && "FAILURE".equals(job(jobId).get("status")));
    assertThat((String) job(jobId).get("reason")).contains("image gone");
  }
}

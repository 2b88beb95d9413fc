package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.JobCreated;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Job and run lists filtered, ordered and paginated by the database. */
class ListFilterIntegrationTest extends JobServiceTestBase {

  @Test
  void runsFilterByParameterValueStatusAndBatchAndPageInEitherOrder() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(snapshotCreated(jobId));
    List<Requested> runs = awaitRequests(jobId, 6);
    runSucceeds(jobId, runs.get(4).key(), 0.1);
    await().atMost(WAIT).until(() -> "SUCCESS".equals(run(runs.get(4).key()).get("status")));

    // grid: lr [0.1, 0.01] × train.epochs [1, 2, 3], the first key varying slowest
    assertThat(indices(page(jobId, "param.lr=0.01"))).containsExactly(3, 4, 5);
    assertThat(page(jobId, "param.lr=0.01")).containsEntry("total", 3);
    assertThat(indices(page(jobId, "param.train.epochs=2"))).containsExactly(1, 4);
    assertThat(indices(page(jobId, "param.lr=0.01&param.train.epochs=2"))).containsExactly(4);
    assertThat(indices(page(jobId, "status=SUCCESS"))).containsExactly(4);
    assertThat(indices(page(jobId, "status=PENDING&param.lr=0.01"))).containsExactly(3, 5);
    assertThat(indices(page(jobId, "batch=0&size=2&page=1"))).containsExactly(2, 3);
    assertThat(page(jobId, "batch=1")).containsEntry("total", 0);
    assertThat(indices(page(jobId, "order=desc&size=2"))).containsExactly(5, 4);
    assertThat(indices(page(jobId, "param.lr=0.5"))).isEmpty();
    http.get()
        .uri("/api/v1/jobs/{id}/runs?order=sideways", jobId)
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  @Test
  void jobsFilterByStatusProjectAndAPartOfTheirName() {
    String alpha = newJobId();
    String beta = newJobId();
    publisher.publishAndWait(named(alpha, "Alpha-Sweep", "vision"));
    publisher.publishAndWait(named(beta, "beta-sweep", "nlp"));
    publisher.publishAndWait(snapshotCreated(beta));
    await().atMost(WAIT).until(() -> exists(alpha) && "STARTED".equals(job(beta).get("status")));

    assertThat(ids(jobs("project=vision"))).contains(alpha).doesNotContain(beta);
    assertThat(ids(jobs("q=ALPHA-sw"))).containsExactly(alpha);
    assertThat(ids(jobs("q=" + beta.substring(5)))).containsExactly(beta);
    assertThat(ids(jobs("status=PENDING&project=vision"))).contains(alpha);
    assertThat(ids(jobs("status=STARTED&project=vision"))).doesNotContain(alpha);
    // other tests' jobs are called lr-sweep: only the status tells these two apart
    assertThat(ids(jobs("status=STARTED&q=sweep"))).contains(beta).doesNotContain(alpha);
    http.get().uri("/api/v1/jobs?status=DONE").exchange().expectStatus().isBadRequest();
  }

  private static JobCreated named(String jobId, String name, String project) {
    JobCreated base = jobCreated(jobId, null);
    return new JobCreated(
        base.eventId(),
        jobId,
        base.at(),
        name,
        project,
        base.pipeline(),
        base.grid(),
        base.env(),
        null,
        null);
  }

  private Map<String, Object> page(String jobId, String query) {
    return http.get()
        .uri("/api/v1/jobs/" + jobId + "/runs?" + query)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(MAP)
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> jobs(String query) {
    return http.get()
        .uri("/api/v1/jobs?size=500&" + query)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(MAP)
        .returnResult()
        .getResponseBody();
  }

  private static List<Object> indices(Map<String, Object> page) {
    return items(page).stream().map(r -> r.get("index")).toList();
  }

  private static List<Object> ids(Map<String, Object> page) {
    return items(page).stream().map(j -> j.get("id")).toList();
  }
}

package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The results table, sorted and paged by the database, and its CSV. */
class ResultsIntegrationTest extends JobServiceTestBase {

  private String jobId;

  /** Grid lr [0.1, 0.01] × train.epochs [1, 2, 3]; five runs report a loss, the last none. */
  @BeforeEach
  void aJobWithLosses() {
    jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(snapshotCreated(jobId));
    List<Requested> runs = awaitRequests(jobId, 6);
    double[] losses = {0.5, 0.2, 0.9, 0.2, 0.7};
    for (int i = 0; i < losses.length; i++) {
      runSucceeds(jobId, runs.get(i).key(), losses[i]);
    }
    await()
        .atMost(WAIT)
        .until(() -> ((Map<?, ?>) job(jobId).get("runCounts")).get("SUCCESS").equals(5));
  }

  @Test
  void sortsByAMetricWithRunsWithoutItLastInBothOrdersAndTiesInRunOrder() {
    assertThat(indices("sort=train.loss")).containsExactly(1, 3, 0, 4, 2, 5);
    assertThat(indices("sort=train.loss&order=desc")).containsExactly(2, 4, 0, 1, 3, 5);
    // pages cut across the runs with and without a loss
    assertThat(indices("sort=train.loss&size=4&page=1")).containsExactly(2, 5);
    assertThat(indices("sort=train.loss&size=2&page=2")).containsExactly(2, 5);
    assertThat(results("sort=train.loss&size=4&page=1")).containsEntry("total", 6);
  }

  @Test
  void sortsByPipelineAndStepParameters() {
    assertThat(indices("sort=lr")).containsExactly(3, 4, 5, 0, 1, 2);
    assertThat(indices("sort=train.epochs&order=desc")).containsExactly(2, 5, 1, 4, 0, 3);
    assertThat(indices("")).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(indices("batch=1")).isEmpty();
  }

  @Test
  void theCsvHasEveryRunInTheTablesOrderWithAColumnPerParameterAndMetric() {
    String csv =
        http.get()
            .uri("/api/v1/jobs/{id}/results.csv?sort=train.loss&order=desc", jobId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("text/csv")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    String[] lines = csv.split("\r\n");
    assertThat(lines[0])
        .isEqualTo("index,run_id,batch,status,param.lr,param.train.epochs,metric.train.loss");
    assertThat(lines[1]).isEqualTo("2," + jobId + "-r0000002,0,SUCCESS,0.1,3,0.9");
    assertThat(lines[6]).startsWith("5," + jobId + "-r0000005,0,PENDING,0.01,3,");
    assertThat(lines).hasSize(7);
  }

  @Test
  void refusesAnUnknownJobAndABadOrder() {
    http.get().uri("/api/v1/jobs/j-none/results").exchange().expectStatus().isNotFound();
    http.get().uri("/api/v1/jobs/j-none/results.csv").exchange().expectStatus().isNotFound();
    http.get()
        .uri("/api/v1/jobs/{id}/results?order=sideways", jobId)
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  /** Malformed sort keys and parameter filters were ignored or became database errors (500). */
  @Test
  void malformedSortKeysAndParameterFiltersAreBadRequests() {
    for (String query :
        List.of(
            "results?sort=a.",
            "results?sort=.a",
            "results?sort=a..b",
            "results?sort=$where",
            "results?sort=train.$gt",
            "results.csv?sort=a.",
            "runs?param.=x",
            "runs?param..a=x",
            "runs?param.a.=x",
            "runs?param.$gt=1",
            "runs?param.lr.$gt=1",
            "runs?param.%24ne=1")) {
      http.get()
          .uri("/api/v1/jobs/" + jobId + "/" + query)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType("application/problem+json");
    }
    // well-formed ones still work
    http.get().uri("/api/v1/jobs/" + jobId + "/runs?param.lr=0.1").exchange().expectStatus().isOk();
    http.get()
        .uri("/api/v1/jobs/" + jobId + "/runs?param.train.epochs=3")
        .exchange()
        .expectStatus()
        .isOk();
  }

  private Map<String, Object> results(String query) {
    return http.get()
        .uri("/api/v1/jobs/" + jobId + "/results?" + query)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(MAP)
        .returnResult()
        .getResponseBody();
  }

  private List<Integer> indices(String query) {
    return items(results(query)).stream().map(r -> ((Number) r.get("index")).intValue()).toList();
  }
}

package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.JobCreated;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.persistence.RunStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * Run lists and results tables decided on the job's run buckets equal a brute-force filter and sort
 * of the runs themselves, for statuses, parameters, both, excluded and included combinations and
 * metric sorts; and equal what the database answers for a job stored without buckets.
 */
class RunViewsIntegrationTest extends JobServiceTestBase {

  @Autowired RunStore runStore;
  @Autowired ReactiveMongoTemplate mongo;

  @Test
  void filteredAndSortedViewsEqualABruteForceFilterOfTheRuns() {
    String jobId = newJobId();
    Map<String, List<Object>> pipeline = new LinkedHashMap<>();
    pipeline.put("lr", List.of(0.1, 0.01, 7));
    ParameterGrid grid =
        new ParameterGrid(pipeline, Map.of("train", Map.of("epochs", List.of(1, 2, 3, 4))));
    RunSelection selection =
        new RunSelection(
            List.of(new RunParameters(Map.of("lr", 0.01), Map.of("train", Map.of("epochs", 2)))),
            List.of(
                new RunParameters(Map.of("lr", 7), Map.of("train", Map.of("epochs", 9))),
                new RunParameters(Map.of("lr", "0.1"), Map.of())),
            null);
    JobCreated base = jobCreated(jobId, 1);
    publisher.publishAndWait(
        new JobCreated(
            base.eventId(),
            jobId,
            base.at(),
            base.name(),
            base.project(),
            base.pipeline(),
            grid,
            base.env(),
            1,
            new JobOptions(selection, null, null, null, null)));
    publisher.publishAndWait(snapshotCreated(jobId));
    int count = 3 * 4 - 1 + 2;
    awaitRequests(jobId, 1);
    await().atMost(WAIT).until(() -> job(jobId).get("runCount").equals(count));

    // the runs get random statuses and losses, written as job-service writes them
    Random random = new Random(7);
    List<RunRecord> runs = new ArrayList<>();
    for (int seq = 0; seq < count; seq++) {
      RunRecord run = runStore.find(RunRecord.idOf(jobId, seq)).orElseThrow();
      ExecutionStatus status = ExecutionStatus.values()[random.nextInt(5)];
      Map<String, Map<String, Object>> metrics =
          random.nextInt(4) == 0
              ? Map.of()
              : Map.of("train", Map.of("loss", (double) random.nextInt(5) / 10));
      RunRecord changed = run.withProgress(status, 1, run.steps(), metrics, null, null, null);
      runStore.replace(changed);
      runs.add(changed);
    }

    // the buckets hold every run's entry as the run is
    assertThat(runStore.entries(jobId, count).block())
        .extracting(e -> e.status(), e -> e.metrics())
        .containsExactlyElementsOf(
            runs.stream()
                .map(r -> org.assertj.core.groups.Tuple.tuple(r.status(), r.metrics()))
                .toList());
    assertViewsMatch(jobId, runs);
    // a job stored before buckets is filtered and sorted by the database: the same answers
    mongo.remove(Query.query(Criteria.where("jobId").is(jobId)), "run-buckets").block();
    assertViewsMatch(jobId, runs);
  }

  private void assertViewsMatch(String jobId, List<RunRecord> runs) {
    List<Map<String, String>> parameterFilters =
        List.of(
            Map.of(),
            Map.of("param.lr", "7"),
            Map.of("param.lr", "0.1"),
            Map.of("param.lr", "0.01"),
            Map.of("param.train.epochs", "2"),
            Map.of("param.train.epochs", "9", "param.lr", "7"),
            Map.of("param.lr", "0.5"));
    List<String> statuses = new ArrayList<>(List.of("", "PENDING", "STARTED", "SUCCESS"));
    statuses.addAll(List.of("FAILURE", "ABORTED"));
    for (Map<String, String> params : parameterFilters) {
      for (String status : statuses) {
        Predicate<RunRecord> wanted =
            run ->
                (status.isEmpty() || run.status().name().equals(status))
                    && params.entrySet().stream()
                        .allMatch(p -> matches(run, p.getKey().substring(6), p.getValue()));
        List<String> expected = runs.stream().filter(wanted).map(RunRecord::id).toList();
        StringBuilder query = new StringBuilder("size=4");
        if (!status.isEmpty()) {
          query.append("&status=").append(status);
        }
        params.forEach((k, v) -> query.append('&').append(k).append('=').append(v));
        assertThat(allPages("/api/v1/jobs/" + jobId + "/runs?" + query, expected.size()))
            .as(query.toString())
            .containsExactlyElementsOf(expected);
        if (status.isEmpty() || params.isEmpty()) {
          assertThat(
                  allPages("/api/v1/jobs/" + jobId + "/runs?order=desc&" + query, expected.size()))
              .as(query.toString())
              .containsExactlyElementsOf(reversed(expected));
        }
      }
    }
    assertThat(allPages("/api/v1/jobs/" + jobId + "/runs?batch=0&size=5", runs.size()))
        .hasSize(runs.size());
    assertThat(allPages("/api/v1/jobs/" + jobId + "/runs?batch=1&size=5", 0)).isEmpty();

    Function<RunRecord, Double> loss =
        run -> (Double) run.metrics().getOrDefault("train", Map.of()).get("loss");
    for (boolean descending : new boolean[] {false, true}) {
      Comparator<Double> values =
          descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
      List<String> expected = new ArrayList<>();
      runs.stream()
          .filter(r -> loss.apply(r) != null)
          .sorted(Comparator.comparing(loss, values).thenComparingLong(RunRecord::seq))
          .forEach(r -> expected.add(r.id()));
      runs.stream().filter(r -> loss.apply(r) == null).forEach(r -> expected.add(r.id()));
      String results =
          "/api/v1/jobs/"
              + jobId
              + "/results?sort=train.loss&size=3&order="
              + (descending ? "desc" : "asc");
      assertThat(allResults(results, runs.size())).containsExactlyElementsOf(expected);
    }
    List<String> bySeq = runs.stream().map(RunRecord::id).toList();
    assertThat(allResults("/api/v1/jobs/" + jobId + "/results?size=5", runs.size()))
        .containsExactlyElementsOf(bySeq);
    assertThat(allResults("/api/v1/jobs/" + jobId + "/results?size=5&order=desc", runs.size()))
        .containsExactlyElementsOf(reversed(bySeq));
  }

  private static List<String> reversed(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    java.util.Collections.reverse(copy);
    return copy;
  }

  /** What MongoDB's equality on the URL value's candidates matched before buckets. */
  private static boolean matches(RunRecord run, String name, String value) {
    int dot = name.indexOf('.');
    Object stored =
        dot < 0
            ? run.parameters().pipeline().get(name)
            : run.parameters().step(name.substring(0, dot)).get(name.substring(dot + 1));
    if (stored instanceof Number number) {
      try {
        return number.doubleValue() == Double.parseDouble(value);
      } catch (NumberFormatException text) {
        return false;
      }
    }
    return Objects.equals(stored, value);
  }

  private List<String> allPages(String uri, int total) {
    return collect(uri, total, "id");
  }

  private List<String> allResults(String uri, int total) {
    return collect(uri, total, "runId");
  }

  private List<String> collect(String uri, int total, String idField) {
    List<String> ids = new ArrayList<>();
    for (int page = 0; ; page++) {
      Map<String, Object> answer =
          http.get()
              .uri(uri + "&page=" + page)
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(MAP)
              .returnResult()
              .getResponseBody();
      assertThat(((Number) answer.get("total")).intValue()).as(uri).isEqualTo(total);
      List<Map<String, Object>> items = items(answer);
      if (items.isEmpty()) {
        return ids;
      }
      items.forEach(item -> ids.add((String) item.get(idField)));
    }
  }
}

package io.gridrun.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The 50 queries {@link ViewBench} times: each status at deep pages, parameter filters, both,
 * results sorted by a metric or a parameter, and the UI's job page.
 */
final class ViewQueries {

  private ViewQueries() {}

  /** The queries on job {@code jobId} of {@code runCount} runs. */
  static List<String> of(String jobId, long runCount) {
    String runs = "/api/v1/jobs/" + jobId + "/runs?";
    String results = "/api/v1/jobs/" + jobId + "/results?";
    long deep = Math.max(1, runCount / 50 / 2);
    List<String> queries = new ArrayList<>();
    for (String status : List.of("PENDING", "STARTED", "SUCCESS", "FAILURE", "ABORTED")) {
      queries.add(runs + "status=" + status + "&size=50");
      queries.add(runs + "status=" + status + "&size=50&page=" + deep);
      queries.add(runs + "status=" + status + "&size=50&order=desc&page=3");
    }
    queries.add(runs + "status=PENDING&page=" + Math.min(500, deep) + "&size=50");
    queries.add(runs + "param.a=7&size=10");
    queries.add(runs + "param.a=7&size=10&page=50");
    queries.add(runs + "param.b=0&size=50&page=7");
    queries.add(runs + "param.train.c=5&size=50&page=100");
    queries.add(runs + "param.train.c=5&size=50&order=desc");
    queries.add(runs + "param.a=99&param.b=0&size=50");
    queries.add(runs + "param.a=3&param.train.c=9&size=50");
    queries.add(runs + "param.a=12&param.train.c=1&param.b=1&size=50");
    queries.add(runs + "param.a=1000&size=50");
    queries.add(runs + "status=SUCCESS&param.a=7&size=50");
    queries.add(runs + "status=PENDING&param.a=7&size=50&page=3");
    queries.add(runs + "status=FAILURE&param.train.c=2&size=50");
    queries.add(runs + "status=PENDING&param.b=0&size=50&page=10");
    queries.add(runs + "status=SUCCESS&param.b=0&param.train.c=3&size=50");
    queries.add(runs + "batch=0&status=PENDING&size=50&page=" + deep);
    queries.add(runs + "status=SUCCESS&size=50&page=" + deep * 2);
    queries.add(runs + "param.b=1&status=PENDING&order=desc&size=50");
    queries.add(runs + "param.a=50&size=50&page=1");
    queries.add(results + "sort=train.loss&size=50&page=" + deep * 2);
    queries.add(results + "sort=b&order=desc&size=50&page=3");
    queries.add("/jobs/" + jobId + "?status=FAILURE&param=train.c&value=3");
    queries.add(results + "sort=train.loss&size=50");
    queries.add(results + "sort=train.loss&order=desc&size=50");
    queries.add(results + "sort=train.loss&size=50&page=" + deep);
    queries.add(results + "sort=train.loss&order=desc&size=500&page=3");
    queries.add(results + "sort=a&size=50&page=10");
    queries.add(results + "sort=train.c&order=desc&size=50");
    queries.add(results + "size=50&page=" + deep);
    queries.add(results + "batch=0&sort=train.loss&size=50&page=2");
    queries.add("/jobs/" + jobId);
    queries.add("/jobs/" + jobId + "?status=PENDING&page=" + Math.min(500, deep));
    queries.add("/jobs/" + jobId + "?status=SUCCESS&param=a&value=7");
    queries.add("/jobs/" + jobId + "?tab=results&sort=train.loss&order=asc");
    queries.add("/jobs/" + jobId + "?tab=results&sort=train.loss&order=desc&page=4");
    return queries;
  }
}

package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the chaos tests share: a project whose runs leave marks in {@code /data/chaos} (one per
 * completed execution, and one whenever an execution starts while another of the same run is
 * running), jobs of it, and the checks made after each scenario: every job terminal, no run lost,
 * none executed twice, none twice at the same time.
 */
final class ChaosJobs {

  static final String PROJECT = "chaos";
  static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILURE", "ABORTED");

  /**
   * A run's step: takes the run's lock directory (a second execution of the same run while one runs
   * finds it taken and says so), sleeps its {@code sleep} parameter, then marks its completion.
   */
  private static final String STEP =
      """
      echo "run $GRIDRUN_RUN_ID started"
      d="$GRIDRUN_DATA/chaos"
      mkdir -p "$d/marks" "$d/running"
      mkdir "$d/running/$GRIDRUN_RUN_ID" 2>/dev/null || echo "$GRIDRUN_RUN_ID" >> "$d/concurrent"
      sleep "$GRIDRUN_PARAM_SLEEP"
      echo "$GRIDRUN_RUN_ID" >> "$d/marks/$GRIDRUN_RUN_ID"
      rmdir "$d/running/$GRIDRUN_RUN_ID"
      echo "run $GRIDRUN_RUN_ID done"
      """;

  private final GridrunClient api;
  private final URI gateway;
  private final String token;
  private final Path data;
  private final HttpClient patient = HttpClient.newHttpClient();
  private String kafkaBootstrap;

  ChaosJobs(LocalStack stack) {
    this(stack.gatewayUrl(), stack.token(), stack.settings().dataDir());
    this.kafkaBootstrap = stack.kafkaBootstrap();
  }

  /** Jobs on the gateway at {@code gateway}, whose runs see {@code dataDir} as {@code /data}. */
  ChaosJobs(URI gateway, String token, Path dataDir) {
    this.api = new GridrunClient(gateway, token);
    this.gateway = gateway;
    this.token = token;
    this.data = dataDir.resolve("chaos");
  }

  /** The runs that completed so far (their marks). */
  int completed() throws IOException {
    return completed("");
  }

  /** The runs of job {@code jobId} that completed so far (their marks). */
  int completed(String jobId) throws IOException {
    Path dir = data.resolve("marks");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> marks = Files.list(dir)) {
      return (int) marks.filter(m -> m.getFileName().toString().startsWith(jobId)).count();
    }
  }

  /** Writes the project and registers its environment (call once per stack home). */
  static void writeProject(StackSettings settings) throws IOException {
    Path project = Files.createDirectories(settings.projectsRoot().resolve(PROJECT));
    Files.writeString(
        project.resolve("p.pipeline.json"),
        """
        { "parameters": { "sleep": 1 },
          "steps": [ { "id": "mark", "file": "mark.sh", "environment": "sh" } ] }
        """);
    Files.writeString(project.resolve("mark.sh"), STEP);
  }

  void registerEnvironment(String image) throws Exception {
    GridrunClient.Answer env = api.put("/api/v1/environments/sh", "{\"image\": \"" + image + "\"}");
    assertThat(env.status()).as(env.body()).isEqualTo(200);
  }

  /** The body of a job of {@code runs} runs, each sleeping {@code sleep} seconds. */
  static String job(String name, int runs, int sleep) {
    return job(name, runs, sleep, PROJECT);
  }

  /** The same in another project with the same pipeline and step. */
  static String job(String name, int runs, int sleep, String project) {
    StringBuilder sleeps = new StringBuilder();
    for (int i = 0; i < runs; i++) {
      // distinct values so that the grid has {@code runs} combinations; each sleeps about as long
      sleeps.append(i == 0 ? "" : ", ").append(sleep).append(i == 0 ? "" : "." + i);
    }
    return "{\"name\": \""
        + name
        + "\", \"project\": \""
        + project
        + "\", \"pipeline\": \"p.pipeline.json\", \"grid\": {\"pipeline\": {\"sleep\": ["
        + sleeps
        + "]}}}";
  }

  /** Submits a job; its id (the answer must be 202). */
  String submit(String name, int runs, int sleep) throws Exception {
    return submit(name, runs, sleep, PROJECT);
  }

  String submit(String name, int runs, int sleep, String project) throws Exception {
    GridrunClient.Answer created = api.post("/api/v1/jobs", job(name, runs, sleep, project));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    return (String) created.json().get("id");
  }

  /**
   * A request that may have to wait for a part of the stack to come back: its status and body, with
   * a timeout long enough for any outage the tests make.
   */
  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofMinutes(3));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return patient.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@link #send} again while the answer is a server error (5xx), as a client would: the answer
   * that is not one. During a database outage longer than the driver's server selection timeout the
   * gateway answers 500 (its token lookup fails), so nothing is accepted, and nothing lost, then.
   */
  HttpResponse<String> sendUntilAnswered(String method, String path, String body) throws Exception {
    HttpResponse<String> answer = send(method, path, body);
    while (answer.statusCode() >= 500) {
      System.out.printf("chaos: %s %s answered %d; again%n", method, path, answer.statusCode());
      Thread.sleep(1000); // a client's back-off between two tries
      answer = send(method, path, body);
    }
    return answer;
  }

  String status(String jobId) throws Exception {
    GridrunClient.Answer job = api.get("/api/v1/jobs/" + jobId);
    return job.status() == 404 ? "GONE" : String.valueOf(job.json().get("status"));
  }

  /**
   * Waits until job {@code jobId} has one of {@code statuses}; if it does not within {@code
   * within}, fails with the job as the API shows it and its first runs, so that a CI log says where
   * it stopped.
   */
  void awaitStatus(String jobId, Duration within, String... statuses) {
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> List.of(statuses).contains(status(jobId)));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "job " + jobId + " not " + List.of(statuses) + " within " + within + ": " + shown(jobId),
          e);
    }
  }

  /** The job and its first runs as the API answers them now (or why it could not be read). */
  private String shown(String jobId) {
    try {
      return api.get("/api/v1/jobs/" + jobId).body()
          + " runs: "
          + api.get("/api/v1/jobs/" + jobId + "/runs?size=5").body();
    } catch (Exception unreadable) {
      return "the job could not be read: " + unreadable;
    }
  }

  void awaitRunning(String jobId, int runs) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> running().size() >= runs);
  }

  /** The runs executing now (their lock directories). */
  List<String> running() throws IOException {
    Path dir = data.resolve("running");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> runs = Files.list(dir)) {
      return runs.map(p -> p.getFileName().toString()).toList();
    }
  }

  /**
   * The job ended {@code SUCCESS} with each of its {@code runs} runs executed to completion exactly
   * once, and no run ever executed twice at the same time.
   */
  void assertEveryRunExactlyOnce(String jobId, int runs) throws Exception {
    Map<String, Object> job = api.get("/api/v1/jobs/" + jobId).json();
    assertThat(job.get("status")).as(job.toString()).isEqualTo("SUCCESS");
    assertThat(job.get("runCount")).isEqualTo(runs);
    for (int i = 0; i < runs; i++) {
      String run = String.format("%s-r%07d", jobId, i);
      Path mark = data.resolve("marks").resolve(run);
      assertThat(mark).as("run %s completed", run).exists();
      assertThat(Files.readAllLines(mark)).as("run %s executed once", run).hasSize(1);
    }
    assertNoConcurrentExecution();
  }

  /**
   * The job's status events on the topic, replayed from its start, reconcile with its runs: each of
   * its {@code runs} runs has its {@code SUCCESS} event, and the job's {@code SUCCESS} event is
   * there; the API counts the same.
   */
  void assertEventsReconcile(String jobId, int runs) throws Exception {
    String origin = String.join(".", java.util.Collections.nCopies(statusPartitions(), "0"));
    try (SseFollower replay =
        SseFollower.follow(gateway, token, "/api/v1/events?job=" + jobId, origin)) {
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  replay.events().stream()
                      .anyMatch(
                          e ->
                              "job.status".equals(e.type())
                                  && e.data().contains("\"status\":\"SUCCESS\"")));
      java.util.Set<String> succeeded = new java.util.HashSet<>();
      for (SseFollower.Event e : replay.events()) {
        if ("run.status".equals(e.type()) && e.data().contains("\"status\":\"SUCCESS\"")) {
          succeeded.add(
              String.valueOf(
                  io.gridrun.common.event.EventCodec.mapper()
                      .readValue(e.data(), Map.class)
                      .get("runId")));
        }
      }
      assertThat(succeeded).as("runs with their SUCCESS event").hasSize(runs);
    }
    Map<String, Object> counts =
        TestSupport.map(api.get("/api/v1/jobs/" + jobId).json().get("runCounts"));
    assertThat(counts.get("SUCCESS")).as(String.valueOf(counts)).isEqualTo(runs);
  }

  private int statusPartitions() throws Exception {
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafkaBootstrap))) {
      return admin
          .describeTopics(List.of("gridrun.status"))
          .allTopicNames()
          .get()
          .get("gridrun.status")
          .partitions()
          .size();
    }
  }

  /**
   * Prints the warnings and errors the stack's services logged under {@code home} (the last {@code
   * 300}), for a failed scenario's CI log: the home is a temporary directory, gone after the test.
   */
  static void printProblems(Path home) {
    Path logs = home.resolve("service-logs");
    try (Stream<Path> files = Files.isDirectory(logs) ? Files.list(logs) : Stream.empty()) {
      List<String> problems = new java.util.ArrayList<>();
      for (Path file : files.sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (line.contains(" WARN ") || line.contains(" ERROR ")) {
            problems.add(file.getFileName() + ": " + line);
          }
        }
      }
      System.out.printf("chaos: %d warnings and errors logged under %s%n", problems.size(), home);
      problems
          .subList(Math.max(0, problems.size() - 300), problems.size())
          .forEach(System.out::println);
    } catch (IOException | RuntimeException unreadable) {
      System.out.println("chaos: the service logs could not be read: " + unreadable);
    }
  }

  void assertNoConcurrentExecution() throws IOException {
    Path concurrent = data.resolve("concurrent");
    assertThat(Files.exists(concurrent) ? Files.readAllLines(concurrent) : List.of())
        .as("runs executed twice at the same time")
        .isEmpty();
  }
}

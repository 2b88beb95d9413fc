package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's chaos suite (Maven profile {@code chaos}, run by {@code ./gridrun test}): one local
 * stack, persistent, with each service and the database in a process of its own and container
 * steps, damaged one way per test. After each: every job terminal, no run lost, every run executed
 * to completion exactly once and never twice at the same time (the runs' marks in /data), and the
 * status events reconcile with the runs (each run's {@code SUCCESS} event on the topic). Each test
 * prints how long the stack took to recover; docs/reliability.md has the figures. Small jobs and
 * tight polls keep it short; kill -9 of job-service and of one of two runners are the existing
 * {@code JobServiceRestartEndToEndTest} and {@code RunnerFailoverEndToEndTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackChaosTest {

  private static final Duration DATABASE_FROZEN = Duration.ofSeconds(60);
  private static final Duration DATABASE_KILLED = Duration.ofSeconds(60);
  private static final Duration BROKER_STOPPED = Duration.ofSeconds(20);
  private static final Duration END = Duration.ofMinutes(4);

  /**
   * A killed service's consumers leave their groups after 10 s, as runner-service's always do
   * (runner-service.yml), instead of Kafka's default 45 s: the service started again in their place
   * gets their partitions, and the event they had not committed, that much sooner. What is checked
   * after the kill is the same.
   */
  private static final Map<String, String> QUICK_GROUP_EXIT =
      Map.of(
          "spring.kafka.consumer.properties.session.timeout.ms", "10000",
          "spring.kafka.consumer.properties.heartbeat.interval.ms", "3000");

  @TempDir static Path home;
  private LocalStack stack;
  private ChaosJobs jobs;

  @BeforeAll
  void start() throws Exception {
    StackSettings settings =
        new StackSettings(home, home.resolve("projects"), home.resolve("data"), 0, 0, true, true);
    ChaosJobs.writeProject(settings);
    stack =
        LocalStack.infrastructure(settings)
            .inChildProcesses()
            .withSharedProperties(QUICK_GROUP_EXIT)
            .withServices();
    jobs = new ChaosJobs(stack);
    jobs.registerEnvironment("gridrun/busybox:test");
  }

  @AfterEach
  void noRunExecutedTwiceAtTheSameTime() throws Exception {
    jobs.assertNoConcurrentExecution();
  }

  @AfterAll
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    unmountDataViewsOfKilledRunners();
  }

  /**
   * A runner killed with -9 leaves the views of /data it had mounted for its steps (see {@code
   * RunnerFailoverEndToEndTest}); the next runner on that work directory unmounts those it finds,
   * but one killed again or still running at the end may leave some: unmounted here before the
   * temporary directory is removed.
   */
  private static void unmountDataViewsOfKilledRunners() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length > 1 && fields[1].startsWith(home.toString())) {
        new ProcessBuilder("umount", "-l", fields[1]).inheritIO().start().waitFor();
      }
    }
  }

  /** Scenario 2: kill -9 of snapshot-service while it copies a large project. */
  @Test
  @Order(1)
  void snapshotServiceKilledMidCopy() throws Exception {
    Path large = Files.createDirectories(home.resolve("projects/large"));
    Files.copy(home.resolve("projects/chaos/p.pipeline.json"), large.resolve("p.pipeline.json"));
    Files.copy(home.resolve("projects/chaos/mark.sh"), large.resolve("mark.sh"));
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < 1500; i++) {
      java.util.Arrays.fill(chunk, (byte) i);
      chunk[0] = (byte) (i >> 8);
      Files.write(large.resolve("file-" + i + ".bin"), chunk);
    }
    long blobsBefore = count(home.resolve("blobs"));
    String job = jobs.submit("large", 2, 1, "large");
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> count(home.resolve("blobs")) > blobsBefore + 10);
    assertThat(jobs.status(job)).as("still copying").isEqualTo("PENDING");
    stack.child("snapshot-service").kill();
    long killed = System.nanoTime();
    stack.restart("snapshot-service");
    jobs.awaitStatus(job, END, "SUCCESS", "FAILURE", "ABORTED");
    recovered("snapshot-service killed mid-copy", killed);
    jobs.assertEveryRunExactlyOnce(job, 2);
    jobs.assertEventsReconcile(job, 2);
  }

  /** Scenario 3: kill -9 of the last runner on its host while its container steps run. */
  @Test
  @Order(2)
  void lastRunnerKilledWithContainerStepsRunning() throws Exception {
    String job = jobs.submit("runner-killed", 3, 8);
    jobs.awaitRunning(job, 1);
    stack.child("runner-service").kill();
    long killed = System.nanoTime();
    stack.restart("runner-service");
    jobs.awaitStatus(job, END, "SUCCESS", "FAILURE", "ABORTED");
    recovered("last runner killed", killed);
    jobs.assertEveryRunExactlyOnce(job, 3);
    jobs.assertEventsReconcile(job, 3);
  }

  /** Scenario 4: the Kafka broker stopped for 20 s during a running job. */
  @Test
  @Order(3)
  void brokerStoppedDuringARunningJob() throws Exception {
    String job = jobs.submit("broker-stopped", 4, 3);
    jobs.awaitRunning(job, 1);
    stack.stopKafka();
    Thread.sleep(BROKER_STOPPED.toMillis()); // the outage itself: nothing to wait for but time
    stack.startKafka();
    long back = System.nanoTime();
    jobs.awaitStatus(job, END, "SUCCESS", "FAILURE", "ABORTED");
    recovered("broker stopped 20 s", back);
    jobs.assertEveryRunExactlyOnce(job, 4);
    jobs.assertEventsReconcile(job, 4);
  }

  /**
   * Scenario 5 and issue 14's database test: the database frozen (SIGSTOP: connections stay open,
   * nothing answers) for the 60 s, longer than the old 12 s retry window that dead-lettered
   * events, while a job runs and a job is created, another cancelled and a third deleted.
   */
  @Test
  @Order(4)
  void databaseFrozenMidJob() throws Exception {
    databaseOutage("frozen", DATABASE_FROZEN, false);
  }

  /**
   * The same with the database killed (SIGKILL) and started again after 60 s, longer than the
   * MongoDB driver's 30 s server selection timeout: the services' calls fail instead of waiting,
   * and the retry path is the one taken.
   */
  @Test
  @Order(5)
  void databaseKilledAndRestartedMidJob() throws Exception {
    databaseOutage("killed", DATABASE_KILLED, true);
  }

  /** Scenario 6: kill -9 of the gateway while clients follow events and a step's log. */
  @Test
  @Order(6)
  void gatewayKilledWhileClientsFollowEventsAndLogs() throws Exception {
    SseFollower events =
        SseFollower.follow(stack.gatewayUrl(), stack.token(), "/api/v1/events", null)
            .awaitConnected(Duration.ofSeconds(30));
    String job = jobs.submit("gateway-killed", 3, 6);
    jobs.awaitRunning(job, 1);
    String run = job + "-r0000000";
    CompletableFuture<HttpResponse<String>> log =
        async(() -> jobs.send("GET", "/api/v1/runs/" + run + "/steps/mark/logs?follow=true", null));
    await().atMost(Duration.ofSeconds(30)).until(() -> events.lastId() != null);
    stack.child("api-gateway").kill();
    long killed = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(events::ended);
    String lastSeen = events.lastId();
    Set<String> succeeded = new HashSet<>(succeededRuns(job, events.events()));
    stack.restart("api-gateway");

    SseFollower resumed =
        SseFollower.follow(
            stack.gatewayUrl(), stack.token(), "/api/v1/events?job=" + job, lastSeen);
    String resumedLog =
        jobs.send("GET", "/api/v1/runs/" + run + "/steps/mark/logs?follow=true", null).body();
    await()
        .atMost(END)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ended(job, resumed.events()));
    recovered("gateway killed", killed);
    resumed.close();
    assertThat(resumed.events()).noneMatch(e -> "stream.reset".equals(e.type()));
    succeeded.addAll(succeededRuns(job, resumed.events()));
    assertThat(succeeded).as("every run's SUCCESS event, before the kill or after").hasSize(3);
    // the log followed through the killed gateway ended with its connection
    await().atMost(Duration.ofSeconds(30)).until(log::isDone);
    assertThat(resumedLog).contains("run " + run + " done");
    jobs.assertEveryRunExactlyOnce(job, 3);
  }

  private void databaseOutage(String name, Duration length, boolean kill) throws Exception {
    DatabaseProcess database = stack.database().orElseThrow();
    String running = jobs.submit(name + "-running", 4, 3);
    String toCancel = jobs.submit(name + "-cancelled", 1, 600);
    String toDelete = jobs.submit(name + "-deleted", 1, 0);
    jobs.awaitStatus(toDelete, END, "SUCCESS");
    jobs.awaitRunning(running, 1);
    jobs.awaitStatus(toCancel, END, "STARTED");

    if (kill) {
      database.kill();
    } else {
      database.suspend();
    }
    CompletableFuture<HttpResponse<String>> created =
        async(
            () ->
                jobs.sendUntilAnswered(
                    "POST", "/api/v1/jobs", ChaosJobs.job(name + "-created", 2, 1)));
    CompletableFuture<HttpResponse<String>> cancelled =
        async(() -> jobs.sendUntilAnswered("POST", "/api/v1/jobs/" + toCancel + "/cancel", null));
    CompletableFuture<HttpResponse<String>> deleted =
        async(() -> jobs.sendUntilAnswered("DELETE", "/api/v1/jobs/" + toDelete, null));
    Thread.sleep(length.toMillis()); // the outage itself: nothing to wait for but time
    if (kill) {
      database.restart();
    } else {
      database.resume();
    }
    long back = System.nanoTime();

    HttpResponse<String> create = created.get();
    assertThat(create.statusCode()).as(create.body()).isEqualTo(202);
    assertThat(cancelled.get().statusCode()).as(cancelled.get().body()).isEqualTo(202);
    assertThat(deleted.get().statusCode()).as(deleted.get().body()).isEqualTo(202);
    String createdId =
        String.valueOf(
            io.gridrun.common.event.EventCodec.mapper()
                .readValue(create.body(), Map.class)
                .get("id"));
    jobs.awaitStatus(running, END, "SUCCESS", "FAILURE", "ABORTED");
    jobs.awaitStatus(createdId, END, "SUCCESS", "FAILURE", "ABORTED");
    jobs.awaitStatus(toCancel, END, "ABORTED");
    jobs.awaitStatus(toDelete, END, "GONE");
    recovered("database " + name, back);
    jobs.assertEveryRunExactlyOnce(running, 4);
    jobs.assertEveryRunExactlyOnce(createdId, 2);
    jobs.assertEventsReconcile(running, 4);
  }

  private static List<String> succeededRuns(String job, List<SseFollower.Event> events) {
    return events.stream()
        .filter(e -> "run.status".equals(e.type()))
        .map(e -> io.gridrun.common.event.EventCodec.mapper().readValue(e.data(), Map.class))
        .filter(e -> job.equals(e.get("jobId")) && "SUCCESS".equals(e.get("status")))
        .map(e -> String.valueOf(e.get("runId")))
        .toList();
  }

  private static boolean ended(String job, List<SseFollower.Event> events) {
    return events.stream()
        .filter(e -> "job.status".equals(e.type()))
        .map(e -> io.gridrun.common.event.EventCodec.mapper().readValue(e.data(), Map.class))
        .anyMatch(e -> job.equals(e.get("jobId")) && ChaosJobs.TERMINAL.contains(e.get("status")));
  }

  private static void recovered(String scenario, long since) {
    System.out.printf(
        "chaos: %s: jobs terminal %d s after the damage ended%n",
        scenario, Duration.ofNanos(System.nanoTime() - since).toSeconds());
  }

  private static long count(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.call();
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }
}

package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: kill -9 of the whole local stack (the launcher, with the broker and the services in it,
 * and the database's process) while a {@value #RUNS}-run job with container steps is half done (at
 * least half its runs completed, not all); a job posted and a cancel answered 202 just before the
 * kill. After {@code ./gridrun local} starts again on the same home: the big job completes with
 * every run executed exactly once and never twice at the same time (marks in /data); the posted job
 * exists and completes; the cancel took effect; the big job's event stream, resumed with the last
 * {@code Last-Event-ID} seen before the kill, continues without a gap (no {@code stream.reset}: the
 * broker's log survived) up to the job's end. Containers the killed runner left running are adopted
 * by the next runner (helper guard's work): without that, their runs are executed again.
 */
class WholeStackKillChaosTest {

  /**
   * Runs of the big job: enough that the kill lands with runs completed, running and still pending
   * (it lands at half), few enough to keep CI's chaos profile short (200 runs took 5 minutes).
   */
  private static final int RUNS = 100;

  @TempDir Path dir;

  @Test
  void aJobHalfDoneWhenTheWholeStackIsKilledCompletesExactlyOnceAndNo202IsLost() throws Exception {
    Path home = dir.resolve("home");
    try {
      killAndRestart(home);
    } catch (Exception | AssertionError e) {
      ChaosJobs.printProblems(home);
      throw e;
    }
  }

  private void killAndRestart(Path home) throws Exception {
    GridrunProcess.Ports ports = GridrunProcess.Ports.free();
    Map<String, String> env = Map.of("GRIDRUN_EXECUTOR", "docker");
    StackSettings settings =
        new StackSettings(home, home.resolve("projects"), home.resolve("data"), 0, 0, true, true);
    ChaosJobs.writeProject(settings);
    URI gateway = URI.create("http://127.0.0.1:" + ports.gateway());

    String big;
    String posted;
    String cancelled;
    String lastSeen;
    Set<String> endedBefore = new HashSet<>();
    try (GridrunProcess first =
        GridrunProcess.start(home, ports, env, dir.resolve("console-1.txt"), "local")) {
      ChaosJobs jobs = ready(gateway, home, first);
      jobs.registerEnvironment("gridrun/busybox:test");
      cancelled = jobs.submit("to-cancel", 1, 600);
      jobs.awaitStatus(cancelled, Duration.ofMinutes(2), "STARTED");
      // a client following every event from before the big job's submission on
      SseFollower follower =
          SseFollower.follow(gateway, token(home), "/api/v1/events", null)
              .awaitConnected(Duration.ofSeconds(30));
      big = jobs.submit("big", RUNS, 1);
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> jobs.completed(big) >= RUNS / 2);
      posted = jobs.submit("posted-before-kill", 2, 1);
      GridrunClient.Answer cancel =
          new GridrunClient(gateway, token(home)).post("/api/v1/jobs/" + cancelled + "/cancel", "");
      assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
      first.killAll();
      int completedAtKill = jobs.completed(big);
      assertThat(completedAtKill)
          .as("runs completed when the stack was killed: half done, not done")
          .isBetween(RUNS / 2, RUNS - 1);
      System.out.printf("whole stack killed with %d of %d runs completed%n", completedAtKill, RUNS);
      await().atMost(Duration.ofSeconds(30)).until(follower::ended);
      lastSeen = follower.lastId();
      for (SseFollower.Event e : follower.events()) {
        if (e.data().contains("\"jobId\":\"" + big + "\"") && "run.status".equals(e.type())) {
          endedBefore.add(e.data());
        }
      }
    }
    assertThat(lastSeen).as("events were followed before the kill").isNotNull();

    try (GridrunProcess second =
        GridrunProcess.start(home, ports, env, dir.resolve("console-2.txt"), "local")) {
      ChaosJobs jobs = ready(gateway, home, second);
      long restarted = System.nanoTime();
      jobs.awaitStatus(posted, Duration.ofMinutes(5), "SUCCESS");
      jobs.awaitStatus(cancelled, Duration.ofMinutes(5), "ABORTED");
      jobs.awaitStatus(big, Duration.ofMinutes(10), "SUCCESS", "FAILURE", "ABORTED");
      System.out.printf(
          "whole stack killed: the job ended %d s after the restart%n",
          Duration.ofNanos(System.nanoTime() - restarted).toSeconds());
      SseFollower resumed =
          SseFollower.follow(gateway, token(home), "/api/v1/events?job=" + big, lastSeen);
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> endOf(big, resumed.events()));
      List<SseFollower.Event> after = resumed.events();
      resumed.close();
      assertThat(after).noneMatch(e -> "stream.reset".equals(e.type()));
      Set<String> succeeded = new HashSet<>();
      for (SseFollower.Event e : after) {
        if ("run.status".equals(e.type()) && e.data().contains("\"status\":\"SUCCESS\"")) {
          succeeded.add(runId(e.data()));
        }
      }
      for (String before : endedBefore) {
        if (before.contains("\"status\":\"SUCCESS\"")) {
          succeeded.add(runId(before));
        }
      }
      assertThat(succeeded)
          .as("every run's SUCCESS event, before the kill or in the resumed stream")
          .hasSize(RUNS);
      // last: each run exactly once needs the next runner to adopt its predecessor's containers
      jobs.assertEveryRunExactlyOnce(posted, 2);
      jobs.assertEveryRunExactlyOnce(big, RUNS);
    }
  }

  /** Views of /data a killed runner left mounted (see {@code RunnerFailoverEndToEndTest}). */
  @org.junit.jupiter.api.AfterEach
  void unmountLeftoverDataViews() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length > 1 && fields[1].startsWith(dir.toString())) {
        new ProcessBuilder("umount", "-l", fields[1]).inheritIO().start().waitFor();
      }
    }
  }

  private static boolean endOf(String job, List<SseFollower.Event> events) {
    return events.stream()
        .anyMatch(
            e ->
                "job.status".equals(e.type())
                    && e.data().contains("\"jobId\":\"" + job + "\"")
                    && e.data().contains("\"status\":\"SUCCESS\""));
  }

  private static String runId(String data) {
    Map<?, ?> json = io.gridrun.common.event.EventCodec.mapper().readValue(data, Map.class);
    return String.valueOf(json.get("runId"));
  }

  private static String token(Path home) throws Exception {
    return Files.readString(home.resolve("token")).strip();
  }

  /** Waits until the launcher's gateway answers; the jobs on it. */
  private static ChaosJobs ready(URI gateway, Path home, GridrunProcess launcher) {
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .failFast("the launcher exited", () -> !launcher.isAlive())
        .until(() -> new GridrunClient(gateway, token(home)).get("/api/v1/jobs").status() == 200);
    try {
      return new ChaosJobs(gateway, token(home), home.resolve("data"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

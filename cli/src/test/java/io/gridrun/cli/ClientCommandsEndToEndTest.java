package io.gridrun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.local.DockerProbe;
import io.gridrun.local.GridrunClient;
import io.gridrun.local.LocalStack;
import io.gridrun.local.StackSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The client commands against a real local stack (Kafka, mongo-java-server, the four services; the
 * Docker executor when an engine answers and the test image exists, else the process executor), run
 * through the client's picocli entry point in this JVM, and once as the real jar in a process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCommandsEndToEndTest {

  private static final String IMAGE = "gridrun/busybox:test";

  @TempDir static Path home;
  @TempDir static Path work;
  private LocalStack stack;
  private GridrunClient api;
  private Path project;

  /** What one command printed, and its exit code. */
  record Result(int code, String out, String err) {}

  @BeforeAll
  void startStackPushAProjectAndSetAnEnvironment() throws Exception {
    DockerProbe docker = new DockerProbe(DockerProbe.DEFAULT_SOCKET);
    boolean useDocker = docker.engineAnswers() && docker.imageExists(IMAGE);
    stack =
        LocalStack.start(
            new StackSettings(
                home,
                home.resolve("projects"),
                home.resolve("data"),
                0,
                freePort(),
                false,
                useDocker));
    api = stack.client();
    project = writeProject(work.resolve("cliproj"));

    Result env = cli("env", "set", "cli-busybox", "--image", IMAGE, "--env", "GREETING=hi");
    assertThat(env.code()).as(env.err()).isZero();
    Result pushed = cli("push", project.toString());
    assertThat(pushed.code()).as(pushed.err()).isZero();
    assertThat(pushed.out()).startsWith("Pushed cliproj to " + stack.gatewayUrl());
    assertThat(pushed.out()).contains(": 5 files,");
  }

  @AfterAll
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  private static Path writeProject(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("build"));
    Files.writeString(dir.resolve(".gitignore"), "secret.txt\nbuild/\n");
    Files.writeString(dir.resolve("secret.txt"), "not for the server\n");
    Files.writeString(dir.resolve("build/out.bin"), "x");
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        { "parameters": { "a": 1, "fail": false },
          "steps": [ { "id": "work", "file": "work.sh", "environment": "cli-busybox",
                       "parameters": { "n": 1 } } ] }
        """);
    Files.writeString(
        dir.resolve("work.sh"),
        """
        set -eu
        echo "work a=$GRIDRUN_PARAM_A n=$GRIDRUN_PARAM_N"
        if [ "$GRIDRUN_PARAM_FAIL" = "true" ] && [ "$GRIDRUN_PARAM_N" = "2" ]; then
          echo "failing on purpose" >&2
          exit 3
        fi
        printf '{"loss": %s}' "$((GRIDRUN_PARAM_A * 10 + GRIDRUN_PARAM_N))" > "$GRIDRUN_METRICS_FILE"
        """);
    Files.writeString(
        dir.resolve("slow.pipeline.json"),
        """
        { "steps": [ { "id": "talk", "file": "talk.sh", "environment": "cli-busybox" } ] }
        """);
    Files.writeString(
        dir.resolve("talk.sh"), "echo one; sleep 4; echo two; sleep 2; printf 'three\\n'\n");
    return dir;
  }

  @Test
  void pushSendsTheProjectWithoutWhatGitignoreIgnores() {
    Path uploaded = home.resolve("projects/cliproj");
    assertThat(uploaded.resolve("p.pipeline.json")).exists();
    assertThat(uploaded.resolve("work.sh")).exists();
    assertThat(uploaded.resolve("secret.txt")).doesNotExist();
    assertThat(uploaded.resolve("build")).doesNotExist();
  }

  @Test
  void envLsShowsTheEnvironmentInATable() {
    Result ls = cli("env", "ls");
    assertThat(ls.code()).isZero();
    assertThat(ls.out().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).startsWith("NAME"));
    assertThat(ls.out())
        .containsPattern("cli-busybox\\s+" + IMAGE.replace(".", "\\.") + "\\s+no\\s+GREETING=hi");
  }

  @Test
  void aTwoByTwoGridWatchedToItsEndExitsZeroAndItsResultsCompare() throws Exception {
    Result run =
        cli(
            "run",
            "cliproj",
            "p",
            "--name",
            "grid",
            "--param",
            "a=1,2",
            "--param",
            "work.n=1,3",
            "--watch");

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    String id = jobIdIn(run.out());
    assertThat(run.out())
        .contains("Job " + id + " ended SUCCESS: 4 succeeded, 0 failed, 0 aborted of 4 runs");
    // not a terminal: one line per change, the last one with every run done
    assertThat(run.out())
        .contains("SUCCESS  pending 0  started 0  success 4  failure 0  aborted 0  of 4");
    assertThat(run.err()).isEmpty();

    Result results = cli("results", id, "--sort", "work.loss", "--desc", "--top", "3");
    assertThat(results.code()).isZero();
    List<String> lines = results.out().lines().toList();
    assertThat(lines.get(0)).matches("INDEX\\s+STATUS\\s+a\\s+fail\\s+work\\.n\\s+work\\.loss");
    assertThat(lines).hasSize(5); // header, 3 rows, "(3 of 4 runs)"
    assertThat(lines.get(1)).matches("\\s*3\\s+SUCCESS\\s+2\\s+false\\s+3\\s+23");
    assertThat(lines.get(2)).matches("\\s*2\\s+SUCCESS\\s+2\\s+false\\s+1\\s+21");
    Result csv = cli("results", id, "--sort", "work.loss", "--csv");
    assertThat(csv.out()).startsWith("index,run_id,batch,status,");
    assertThat(csv.out().split("\r\n")).hasSize(5);

    Result runs = cli("runs", "ls", id, "--param", "a=2");
    assertThat(runs.code()).isZero();
    assertThat(runs.out().lines().skip(1).toList())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("SUCCESS"));

    Result jobs = cli("jobs", "ls", "--project", "cliproj", "--status", "success");
    assertThat(jobs.out()).contains(id);
    Result show = cli("jobs", "show", id);
    assertThat(show.out()).containsPattern("status\\s+SUCCESS").contains("best work.loss");
  }

  @Test
  void aFailingGridExitsOneAndNamesItsFailures() {
    Result run =
        cli(
            "run",
            "cliproj",
            "p.pipeline.json",
            "--param",
            "fail=true",
            "--param",
            "work.n=1,2",
            "--watch");

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(Main.JOB_FAILED);
    assertThat(run.out()).contains("ended FAILURE: 1 succeeded, 1 failed, 0 aborted of 2 runs");
    assertThat(run.out()).contains("latest failure: run 1  step work: exit code 3");
    String id = jobIdIn(run.out());

    // watching a job that already ended prints its final state and exits with its code
    Result again = cli("watch", id);
    assertThat(again.code()).isEqualTo(Main.JOB_FAILED);
    assertThat(again.out()).contains("ended FAILURE");
    Result failed = cli("runs", "ls", id, "--status", "failure");
    assertThat(failed.out()).contains("work: exit code 3");

    // on a terminal: a bar per status, drawn in place, and the latest failures
    Result drawn = cli(true, "watch", id);
    assertThat(drawn.code()).isEqualTo(Main.JOB_FAILED);
    assertThat(drawn.out())
        .contains("\033[2K")
        .containsPattern("SUCCESS\\s+\\[#{15}\\.{15}\\] 1")
        .containsPattern("FAILURE\\s+\\[#{15}\\.{15}\\] 1")
        .contains("latest failures:")
        .contains("run 1  step work: exit code 3");
  }

  @Test
  void aDryRunShowsThePreviewAndCreatesNothing() throws Exception {
    long before = totalJobs();

    Result dry =
        cli(
            "run",
            "cliproj",
            "p",
            "--param",
            "a=1,2",
            "--param",
            "work.n=1,3",
            "--exclude",
            "a=2,work.n=3",
            "--dry-run");
    Result json =
        cli(
            "run",
            "cliproj",
            "p",
            "--param",
            "a=1,2",
            "--param",
            "work.n=1,3",
            "--dry-run",
            "--output",
            "json");

    assertThat(dry.code()).as(dry.err()).isZero();
    List<String> lines = dry.out().lines().toList();
    assertThat(lines.get(0)).matches("INDEX\\s+a\\s+fail\\s+work\\.n");
    assertThat(lines.subList(1, 4))
        .satisfiesExactly(
            l -> assertThat(l).matches("\\s*0\\s+1\\s+false\\s+1"),
            l -> assertThat(l).matches("\\s*1\\s+1\\s+false\\s+3"),
            l -> assertThat(l).matches("\\s*2\\s+2\\s+false\\s+1"));
    assertThat(lines.get(4)).isEqualTo("3 runs (grid of 4); nothing created");
    JsonNode list = Json.parse(json.out());
    assertThat(list.isArray()).isTrue();
    assertThat(list.size()).isEqualTo(4);
    assertThat(list.get(3).path("index").asInt()).isEqualTo(3);
    assertThat(list.get(3).path("parameters").path("steps").path("work").path("n").asInt())
        .isEqualTo(3);
    assertThat(totalJobs()).isEqualTo(before);
  }

  @Test
  void followingALogReturnsAllOfAStepThatWasStillRunning() throws Exception {
    Result run = cli("run", "cliproj", "slow");
    assertThat(run.code()).as(run.err()).isZero();
    String id = jobIdIn(run.out());
    String runId = id + "-r0000000";
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> "STARTED".equals(api.get("/api/v1/runs/" + runId).json().get("status")));

    Result log = cli("logs", runId, "talk", "-f");

    assertThat(log.code()).as(log.err()).isZero();
    assertThat(log.out()).isEqualTo("one\ntwo\nthree\n");
    assertThat(api.get("/api/v1/runs/" + runId).json().get("status")).isEqualTo("SUCCESS");
  }

  @Test
  void secretsAreSentWithSecretAndShownAsDotsByEnvLsAndJobsShow() throws Exception {
    Result env =
        cli(
            "env",
            "set",
            "cli-secret-env",
            "--image",
            IMAGE,
            "--env",
            "PLAIN=shown",
            "--secret",
            "ENV_TOKEN=env-s3cret-value");
    assertThat(env.code()).as(env.err()).isZero();
    Result ls = cli("env", "ls");
    assertThat(ls.out())
        .containsPattern("cli-secret-env\\s+.*PLAIN=shown\\s+ENV_TOKEN=••••")
        .doesNotContain("env-s3cret-value");

    Result run = cli("run", "cliproj", "p", "--secret", "JOB_TOKEN=job-s3cret-value", "--watch");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    String id = jobIdIn(run.out());
    Result show = cli("jobs", "show", id);
    assertThat(show.out()).containsPattern("secrets\\s+.*JOB_TOKEN.*••••");
    assertThat(show.out() + cli("jobs", "show", id, "--output", "json").out())
        .doesNotContain("job-s3cret-value")
        .doesNotContain("gridrun:sealed:");
    Result bad = cli("run", "cliproj", "p", "--secret", "novalue");
    assertThat(bad.code()).isEqualTo(3);
    assertThat(bad.err()).contains("--secret needs NAME=value");
  }

  @Test
  void jsonOutputIsTheApisJsonAndJsonLinesForWatch() throws Exception {
    Result created = cli("--output", "json", "run", "cliproj", "p", "--watch");
    assertThat(created.code()).as(created.err()).isZero();
    List<JsonNode> lines = created.out().lines().map(Json::parse).toList();
    String id = lines.get(0).path("id").asString();
    assertThat(lines.get(0).path("status").asString()).isEqualTo("PENDING");
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.path("final").asBoolean()).isTrue();
    assertThat(last.path("status").asString()).isEqualTo("SUCCESS");
    assertThat(last.path("runCounts").path("SUCCESS").asInt()).isEqualTo(1);
    assertThat(lines.subList(1, lines.size() - 1))
        .allSatisfy(l -> assertThat(l.path("final").asBoolean()).isFalse());

    Result jobs = cli("jobs", "ls", "--output", "json");
    assertThat(Json.parse(jobs.out()).path("items").isArray()).isTrue();
    Result show = cli("jobs", "show", id, "--output", "json");
    assertThat(Json.parse(show.out()).path("id").asString()).isEqualTo(id);
  }

  @Test
  void aWrongServerExitsFourWithOneLineNamingIt() throws Exception {
    int closed = freePort();
    Result down = cli("jobs", "ls", "--server", "http://127.0.0.1:" + closed);

    assertThat(down.code()).isEqualTo(Main.SERVER_ERROR);
    assertThat(down.out()).isEmpty();
    assertThat(down.err().lines()).hasSize(1);
    assertThat(down.err()).contains("http://127.0.0.1:" + closed);
  }

  @Test
  void dltLsShowsAParkedMessageAndReplayPublishesItAgainWhereTheRunnerParksItOnceMore()
      throws Exception {
    java.util.Properties config = new java.util.Properties();
    config.put("bootstrap.servers", stack.kafkaBootstrap());
    config.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class);
    config.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class);
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, String>(config)) {
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  "gridrun.control-dlt", 0, "j-cli-dlt", "{\"type\":\"no.such.event\"}"))
          .get();
    }
    Result listed = cli("dlt", "ls", "--topic", "gridrun.control");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).startsWith("TOPIC").contains("gridrun.control").contains("j-cli-dlt");
    String line =
        listed.out().lines().filter(l -> l.contains("j-cli-dlt")).findFirst().orElseThrow();
    String[] columns = line.trim().split("\\s+");

    Result replayed = cli("dlt", "replay", "gridrun.control", columns[1], columns[2]);
    assertThat(replayed.code()).as(replayed.err()).isZero();
    assertThat(replayed.out())
        .isEqualTo(
            "Replayed gridrun.control "
                + columns[1]
                + "/"
                + columns[2]
                + " to gridrun.control (key j-cli-dlt)\n");
    // the runner reads it again, cannot decode it, and parks it once more
    await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () ->
                cli("dlt", "ls", "--topic", "gridrun.control", "--output", "json")
                        .out()
                        .split("j-cli-dlt", -1)
                        .length
                    > 2);
    Result missing = cli("dlt", "replay", "gridrun.control", "0", "999999");
    assertThat(missing.code()).isEqualTo(Main.CLIENT_ERROR);
  }

  @Test
  void aClientErrorExitsThreeWithTheProblemsTitleAndDetail() {
    Result missing = cli("jobs", "show", "j-nope");
    assertThat(missing.code()).isEqualTo(Main.CLIENT_ERROR);
    assertThat(missing.err().lines()).hasSize(1);
    assertThat(missing.err()).startsWith("gridrun: ").contains("(HTTP 404)");

    Result unknownProject = cli("run", "no-such-project", "p");
    assertThat(unknownProject.code()).isEqualTo(Main.CLIENT_ERROR);
    assertThat(unknownProject.err().lines()).hasSize(1);
    assertThat(unknownProject.err()).contains("no-such-project");
  }

  @Test
  void theJarItselfListsJobs() throws Exception {
    Path jar = Path.of("target/gridrun-cli.jar");
    assertThat(jar).exists();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-jar",
                jar.toString(),
                "jobs",
                "ls"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("GRIDRUN_SERVER", stack.gatewayUrl().toString());
    builder.environment().put("GRIDRUN_HOME", home.toString());
    long start = System.nanoTime();
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("gridrun jobs ls as a process took " + millis + " ms wall");

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).matches("ID\\s+NAME\\s+PROJECT\\s+STATUS.*"));
  }

  private Result cli(String... args) {
    return cli(false, args);
  }

  private Result cli(boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of(
                "GRIDRUN_SERVER", stack.gatewayUrl().toString(), "GRIDRUN_HOME", home.toString()),
            terminal);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String jobIdIn(String output) {
    var matcher = java.util.regex.Pattern.compile("Job (j-\\S+) created").matcher(output);
    assertThat(matcher.find()).as(output).isTrue();
    return matcher.group(1);
  }

  private long totalJobs() throws Exception {
    return ((Number) api.get("/api/v1/jobs").json().get("total")).longValue();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

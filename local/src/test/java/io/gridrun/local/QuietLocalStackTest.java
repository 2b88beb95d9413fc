package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees of {@code ./gridrun demo} and {@code ./gridrun local}: gridrun's own lines
 * only, every part's logging in {@code $GRIDRUN_HOME/service-logs}, one line when a second stack is
 * refused, and the name of a part that did not start. Each runs the launcher's entry point in a
 * process of its own, on free ports, with a home of its own.
 */
class QuietLocalStackTest {

  /** The launcher's own line ({@code gridrun: building …}) on a first run comes on top. */
  private static final int LAUNCHER_LINES = 1;

  private static final List<String> PARTS =
      List.of("api-gateway", "job-service", "snapshot-service", "runner-service", "kafka", "mongo");

  @TempDir Path dir;

  @Test
  void theDemosConsoleIsShortWithoutStackTracesAndTheLogsGoToServiceLogs() throws Exception {
    Path home = dir.resolve("home");
    GridrunProcess.Ports ports = GridrunProcess.Ports.free();
    List<String> console;
    try (GridrunProcess demo =
        GridrunProcess.start(home, ports, Map.of(), dir.resolve("console.txt"), "demo")) {
      int exit = demo.waitFor(20);
      console = demo.console();
      assertThat(exit).as(String.join("\n", console)).isZero();
    }
    String shown = String.join("\n", console);

    assertThat(console.size() + LAUNCHER_LINES).as(shown).isLessThan(60);
    assertThat(shown).doesNotContain("Exception").doesNotContain("\tat ");
    // what the demo job says (DemoJob): the job it submitted and where its runs are
    assertThat(shown)
        .contains("Submitted job j-")
        .containsPattern("runs +http://\\S+:" + ports.gateway() + "/api/v1/jobs/j-\\S+/runs");
    assertThat(console)
        .as(shown)
        .contains("UI  http://localhost:" + ports.gateway() + "/")
        .anyMatch(line -> line.startsWith("gridrun: starting kafka"))
        .anyMatch(line -> line.startsWith("executor  "));
    // the results table, then only where to look
    int header = console.indexOf("index  status   parameters                     metrics");
    assertThat(header).as(shown).isPositive();
    List<String> rows = console.subList(header + 1, header + 7);
    assertThat(rows).allMatch(row -> row.matches("\\d+\\s+SUCCESS\\s+lr=.*train\\.loss=.*"));
    List<String> after = console.subList(header + 7, console.size());
    assertThat(after.get(0)).isEmpty();
    assertThat(after.get(1)).matches("Job j-\\S+ ended SUCCESS\\. Where to look:");
    assertThat(after.subList(2, after.size()))
        .isNotEmpty()
        .allMatch(line -> Pattern.matches("  \\S[^ ]*( [^ ]+)?  +\\S+", line))
        .anyMatch(line -> line.contains(home.resolve("service-logs").toString()))
        .anyMatch(line -> line.matches("  job page  http://127\\.0\\.0\\.1:\\d+/jobs/j-\\S+"));

    Path logs = home.resolve("service-logs");
    for (String part : PARTS) {
      assertThat(logs.resolve(part + ".log")).as(part).isNotEmptyFile();
    }
    assertThat(Files.readString(logs.resolve("job-service.log")))
        .contains("Netty started on port " + (ports.gateway() + 1));
    assertThat(Files.readString(logs.resolve("kafka.log"))).contains("kafka.server");
    assertThat(Files.readString(logs.resolve("mongo.log"))).contains("mongo");
  }

  @Test
  void aSecondStackOnTheSameHomeOrPortsIsRefusedInOneLineAndTheFirstKeepsRunning()
      throws Exception {
    Path home = dir.resolve("home");
    GridrunProcess.Ports ports = GridrunProcess.Ports.free();
    try (GridrunProcess first =
        GridrunProcess.start(home, ports, Map.of(), dir.resolve("first.txt"), "local")) {
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> !first.isAlive() || first.console().contains("Press Ctrl-C to stop."));
      assertThat(first.isAlive()).as(String.join("\n", first.console())).isTrue();

      List<String> sameHome =
          refused(home, GridrunProcess.Ports.free(), dir.resolve("same-home.txt"));
      assertThat(sameHome).hasSize(1);
      assertThat(sameHome.get(0)).startsWith("gridrun: another gridrun").contains(home.toString());

      List<String> samePorts = refused(dir.resolve("other-home"), ports, dir.resolve("ports.txt"));
      assertThat(samePorts).hasSize(1);
      assertThat(samePorts.get(0))
          .startsWith("gridrun: port " + ports.gateway() + " (api-gateway) is already in use");

      assertThat(first.isAlive()).isTrue();
      assertThat(health(ports.gateway())).isEqualTo(200);
    }
  }

  /** Starts {@code local}, expects it to exit 1 at once; its console. */
  private static List<String> refused(Path home, GridrunProcess.Ports ports, Path console)
      throws Exception {
    try (GridrunProcess second = GridrunProcess.start(home, ports, Map.of(), console, "local")) {
      int exit = second.waitFor(5);
      List<String> lines = second.console();
      assertThat(exit).as(String.join("\n", lines)).isEqualTo(1);
      assertThat(String.join("\n", lines)).doesNotContain("Exception").doesNotContain("\tat ");
      return lines;
    }
  }

  @Test
  void aServiceThatDoesNotStartIsNamedWithTheLastLinesOfItsLog() throws Exception {
    Path home = dir.resolve("home");
    // a runner needs at least one slot: runner-service refuses this configuration as it starts
    try (GridrunProcess local =
        GridrunProcess.start(
            home,
            GridrunProcess.Ports.free(),
            Map.of("GRIDRUN_RUNNER_SLOTS", "0"),
            dir.resolve("console.txt"),
            "local")) {
      int exit = local.waitFor(15);
      List<String> console = local.console();
      String shown = String.join("\n", console);

      assertThat(exit).as(shown).isNotIn(0, -1);
      int named =
          IntStream.range(0, console.size())
              .filter(i -> console.get(i).startsWith("gridrun: runner-service did not start: "))
              .findFirst()
              .orElse(-1);
      assertThat(named).as(shown).isNotNegative();
      assertThat(console.get(named + 1))
          .isEqualTo(
              "  the last lines of " + home.resolve("service-logs/runner-service.log") + ":");
      List<String> tail = console.subList(named + 2, console.size());
      assertThat(tail).isNotEmpty().allMatch(line -> line.startsWith("  | "));
      assertThat(String.join("\n", tail)).contains("gridrun.runner.slots").doesNotContain("\tat ");
      assertThat(IntStream.range(0, named).mapToObj(console::get))
          .noneMatch(line -> line.contains("\tat "));
    }
  }

  private static int health(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}

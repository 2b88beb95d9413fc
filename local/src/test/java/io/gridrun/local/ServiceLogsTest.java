package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file a log event goes to, and what of a log is shown when its part did not start. */
class ServiceLogsTest {

  @TempDir Path dir;

  @Test
  void anEventGoesToThePartItsLoggerNamesElseToThePartOfItsThread() throws Exception {
    assertThat(ServiceLogs.partOf("io.gridrun.gateway.ui.JobsPage")).isEqualTo("api-gateway");
    assertThat(ServiceLogs.partOf("io.gridrun.job.Dispatcher")).isEqualTo("job-service");
    assertThat(ServiceLogs.partOf("io.gridrun.snapshot.Snapshots")).isEqualTo("snapshot-service");
    assertThat(ServiceLogs.partOf("io.gridrun.runner.Runner")).isEqualTo("runner-service");
    assertThat(ServiceLogs.partOf("kafka.server.BrokerServer")).isEqualTo("kafka");
    assertThat(ServiceLogs.partOf("org.apache.kafka.raft.QuorumState")).isEqualTo("kafka");
    assertThat(ServiceLogs.partOf("de.bwaldvogel.mongo.MongoServer")).isEqualTo("mongo");
    // a Kafka client or Spring logs for whichever part runs it
    assertThat(ServiceLogs.partOf("org.apache.kafka.clients.NetworkClient"))
        .isEqualTo(ServiceLogs.OWN);
    String inJobService =
        ServiceLogs.as("job-service", () -> ServiceLogs.partOf("org.springframework.boot.X"));
    assertThat(inJobService).isEqualTo("job-service");
    AtomicReference<String> startedThread = new AtomicReference<>();
    ServiceLogs.as(
        "snapshot-service",
        () -> {
          Thread thread =
              new Thread(() -> startedThread.set(ServiceLogs.partOf("org.apache.kafka.clients.X")));
          thread.start();
          thread.join();
          return null;
        });
    assertThat(startedThread).hasValue("snapshot-service");
    assertThat(ServiceLogs.partOf("org.springframework.boot.X")).isEqualTo(ServiceLogs.OWN);
  }

  @Test
  void eachPartLogsToAFileOfItsOwn() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    ServiceLogRouter router = new ServiceLogRouter(dir, null);
    router.setContext(context);
    router.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(router);

    context.getLogger("kafka.server.BrokerServer").info("broker up");
    ServiceLogs.as(
        "job-service",
        () -> {
          context.getLogger("org.springframework.boot.SpringApplication").info("job-service up");
          return null;
        });
    context.getLogger("de.bwaldvogel.mongo.MongoServer").warn("mongo up");
    router.stop();

    assertThat(Files.readString(dir.resolve("kafka.log"))).contains("INFO", "broker up");
    assertThat(Files.readString(dir.resolve("job-service.log")))
        .contains("job-service up")
        .doesNotContain("broker up");
    assertThat(Files.readString(dir.resolve("mongo.log"))).contains("WARN", "mongo up");
  }

  @Test
  void verboseShowsEveryEventOnTheConsoleTooHeadedByItsPart() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    ServiceLogRouter router =
        new ServiceLogRouter(dir, new PrintStream(console, true, StandardCharsets.UTF_8));
    router.setContext(context);
    router.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(router);

    context.getLogger("kafka.server.BrokerServer").info("broker up");
    router.stop();

    assertThat(console.toString(StandardCharsets.UTF_8))
        .startsWith("[kafka] ")
        .contains("INFO", "kafka.server.BrokerServer", "broker up");
    assertThat(Files.readString(dir.resolve("kafka.log"))).contains("broker up");
  }

  @Test
  void theTailOfALogLeavesOutStackFrames() throws Exception {
    Files.write(
        dir.resolve("runner-service.log"),
        List.of(
            "line 1",
            "line 2",
            "ERROR Application run failed",
            "java.lang.IllegalStateException: no slots",
            "\tat io.gridrun.runner.Runner.start(Runner.java:12)",
            "\t... 12 more",
            "Caused by: java.lang.IllegalArgumentException: slots 0",
            "\tat io.gridrun.runner.Slots.<init>(Slots.java:3)",
            "\t... 4 common frames omitted",
            ""));

    assertThat(ServiceLogs.tail(dir, "runner-service", 3))
        .containsExactly(
            "ERROR Application run failed",
            "java.lang.IllegalStateException: no slots",
            "Caused by: java.lang.IllegalArgumentException: slots 0");
    assertThat(ServiceLogs.tail(dir, "mongo", 3)).isEmpty();
  }

  @Test
  void aFailedPartIsNamedWithItsLastLinesAndTheInnermostReason() throws Exception {
    Files.write(dir.resolve("job-service.log"), List.of("starting", "port 8081 is taken"));

    StartFailure failure =
        StackLauncher.failure(
            dir,
            "job-service",
            new IllegalStateException("context failed", new RuntimeException("Port 8081 in use")));

    assertThat(failure.lines())
        .containsExactly(
            "gridrun: job-service did not start: Port 8081 in use",
            "  the last lines of " + dir.resolve("job-service.log") + ":",
            "  | starting",
            "  | port 8081 is taken");
  }
}

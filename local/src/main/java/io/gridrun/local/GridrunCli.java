package io.gridrun.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./gridrun local} and {@code ./gridrun demo}. */
@Command(
    name = "gridrun",
    mixinStandardHelpOptions = true,
    version = "gridrun 0.1.0",
    description = "Parametrized pipeline jobs in containers.",
    subcommands = {GridrunCli.Local.class, GridrunCli.Demo.class})
public class GridrunCli {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line: a failed command is one line (or a {@link StartFailure}'s lines), exit 1. */
  static CommandLine commandLine() {
    return new CommandLine(new GridrunCli()).setExecutionExceptionHandler(GridrunCli::failed);
  }

  /** A command failed: one line (or the lines a {@link StartFailure} holds), no stack trace. */
  static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    if (e instanceof StartFailure failure) {
      failure.lines().forEach(command.getErr()::println);
    } else if (e instanceof ExecutorChoice.Refused refused) {
      command.getErr().println("gridrun: " + refused.getMessage());
    } else {
      command.getErr().println("gridrun: " + StackLauncher.reason(e));
      if (ServiceLogs.installed()) {
        LoggerFactory.getLogger(GridrunCli.class).error("gridrun stopped", e);
      }
    }
    return 1;
  }

  /** Options shared by the commands that start the stack; each defaults to an env variable. */
  static class StackOptions {
    @Option(
        names = "--home",
        defaultValue = "${env:GRIDRUN_HOME:-./.gridrun}",
        description = "State directory (GRIDRUN_HOME, default ./.gridrun).")
    Path home;

    @Option(
        names = "--projects-root",
        defaultValue = "${env:GRIDRUN_PROJECTS_ROOT}",
        description = "Projects root (GRIDRUN_PROJECTS_ROOT, default $GRIDRUN_HOME/projects).")
    Path projectsRoot;

    @Option(
        names = "--data-dir",
        defaultValue = "${env:GRIDRUN_DATA_DIR}",
        description = "Shared /data directory (GRIDRUN_DATA_DIR, default $GRIDRUN_HOME/data).")
    Path dataDir;

    @Option(
        names = "--port",
        defaultValue = "${env:GRIDRUN_PORT:-8080}",
        description = "Gateway port (GRIDRUN_PORT, default 8080).")
    int port;

    @Option(
        names = "--kafka-port",
        defaultValue = "${env:GRIDRUN_KAFKA_PORT:-9092}",
        description = "Kafka broker port on localhost (GRIDRUN_KAFKA_PORT, default 9092).")
    int kafkaPort;

    @Option(
        names = "--executor",
        defaultValue = "${env:GRIDRUN_EXECUTOR:-auto}",
        description =
            "docker, process or auto (GRIDRUN_EXECUTOR, default auto: Docker when it answers).")
    String executor;

    @Option(
        names = "--verbose",
        description =
            "Show the services', the broker's and the database's logs on the console too.")
    boolean verbose;

    @Option(
        names = "--bind",
        defaultValue = "${env:GRIDRUN_BIND:-127.0.0.1}",
        description =
            "Address the gateway listens on (GRIDRUN_BIND, default 127.0.0.1: this machine only);"
                + " the other services always listen on 127.0.0.1.")
    String bind;

    /** Whether a Docker engine answers; tests replace it. */
    java.util.function.BooleanSupplier dockerAnswers =
        () -> new DockerProbe(DockerProbe.DEFAULT_SOCKET).engineAnswers();

    /** Which executor {@link #settings()} chose, and why. */
    String executorReason = "";

    StackSettings settings() {
      Path h = home.toAbsolutePath().normalize();
      ExecutorChoice choice =
          ExecutorChoice.choose(
              executor, bind, dockerAnswers, DockerProbe.DEFAULT_SOCKET.toString());
      executorReason =
          switch (executor) {
            case "docker", "process" -> "(--executor / GRIDRUN_EXECUTOR " + executor + ")";
            default ->
                choice.docker()
                    ? "(auto: a Docker engine answers at " + DockerProbe.DEFAULT_SOCKET + ")"
                    : "(auto: " + choice.note() + ")";
          };
      return new StackSettings(
              h,
              projectsRoot != null ? projectsRoot : h.resolve("projects"),
              dataDir != null ? dataDir : h.resolve("data"),
              port,
              kafkaPort,
              true,
              choice.docker())
          .withBind(bind);
    }
  }

  /** The UI's address as people type it: {@code localhost} while the gateway is on loopback. */
  static String uiAddress(LocalStack stack) {
    return ExecutorChoice.loopback(stack.settings().bind())
        ? "http://localhost:" + stack.gatewayUrl().getPort() + "/"
        : stack.gatewayUrl() + "/";
  }

  /** The ready banner: where everything is, the UI's address first. */
  static Banner banner(LocalStack stack, StackOptions options) {
    StackSettings s = stack.settings();
    Map<String, Integer> ports = new TreeMap<>(stack.ports());
    ports.remove("api-gateway");
    StringJoiner services = new StringJoiner(", ", "(", ")");
    ports.forEach((name, port) -> services.add(name + " :" + port));
    return new Banner()
        .line("UI", uiAddress(stack))
        .line("sign in", stack.loginUrl().toString())
        .line("API", stack.gatewayUrl() + "/api/v1")
        .line("Kafka", stack.kafkaAddress() + " (status events: topic gridrun.status)")
        .line(
            "database",
            stack
                .database()
                .map(
                    db ->
                        "mongodb://"
                            + db.address()
                            + " (pid "
                            + db.pid()
                            + ", "
                            + s.home().resolve("mongo.mv")
                            + ")")
                .orElse(stack.mongoUri("") + " (in memory)"))
        .line("health", stack.gatewayUrl() + "/actuator/health " + services)
        .line("executor", (s.docker() ? "docker " : "process ") + options.executorReason)
        .line("projects", s.projectsRoot().toString())
        .line("data", s.dataDir().toString())
        .line(
            "logs",
            s.serviceLogs()
                + (options.verbose ? "" : " (--verbose shows them on the console instead)"));
  }

  @Command(name = "local", description = "Start the whole stack on this machine until Ctrl-C.")
  static class Local implements Callable<Integer> {
    @CommandLine.Mixin StackOptions options = new StackOptions();

    @Override
    public Integer call() throws Exception {
      StackLauncher.Running running =
          StackLauncher.start(options.settings(), options.verbose, System.out);
      CountDownLatch stopped = new CountDownLatch(1);
      OrderlyStop.register();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println("gridrun: stopping");
                    try {
                      running.close();
                    } finally {
                      OrderlyStop.done();
                      stopped.countDown();
                    }
                  }));
      banner(running.stack(), options).print(System.out);
      System.out.println("Press Ctrl-C to stop.");
      stopped.await();
      return 0;
    }
  }

  @Command(
      name = "demo",
      description = "Start the stack, run the example grid job, print its progress and results.")
  static class Demo implements Callable<Integer> {
    @CommandLine.Mixin StackOptions options = new StackOptions();

    @Option(
        names = "--examples",
        defaultValue = "examples",
        description = "The examples directory.")
    Path examples;

    @Option(names = "--keep-running", description = "Keep the stack up after the job ended.")
    boolean keepRunning;

    @CommandLine.Parameters(
        arity = "0..1",
        paramLabel = "EXAMPLE",
        description =
            "digits: a scikit-learn SVM grid with a notebook report, in an environment gridrun"
                + " builds (several minutes the first time). Default: the fast busybox job.")
    String example;

    @Override
    public Integer call() throws Exception {
      if (example != null && !example.equals("digits")) {
        System.err.println("gridrun: unknown example '" + example + "' (try: digits)");
        return 2;
      }
      StackSettings settings = options.settings();
      try (StackLauncher.Running running =
          StackLauncher.start(settings, options.verbose, System.out)) {
        LocalStack stack = running.stack();
        banner(stack, options).print(System.out);
        boolean succeeded =
            example != null
                ? new DigitsDemo(stack, examples, System.out).run() != null
                : new DemoJob(stack, examples, System.out, ProgressLine.terminal(options.verbose))
                    .run();
        if (keepRunning) {
          System.out.println("The stack keeps running; press Ctrl-C to stop.");
          new CountDownLatch(1).await();
        }
        return succeeded ? 0 : 1;
      }
    }
  }
}

package io.gridrun.local;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
    System.exit(new CommandLine(new GridrunCli()).execute(args));
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

    StackSettings settings() {
      Path h = home.toAbsolutePath().normalize();
      boolean docker =
          switch (executor) {
            case "docker" -> true;
            case "process" -> false;
            default -> new DockerProbe(DockerProbe.DEFAULT_SOCKET).engineAnswers();
          };
      if (!docker && !executor.equals("process")) {
        System.out.println(
            "gridrun: no Docker engine answers at "
                + DockerProbe.DEFAULT_SOCKET
                + "; steps will run as local processes (process executor), not in containers.");
      }
      return new StackSettings(
          h,
          projectsRoot != null ? projectsRoot : h.resolve("projects"),
          dataDir != null ? dataDir : h.resolve("data"),
          port,
          kafkaPort,
          true,
          docker);
    }
  }

  static void printStarted(LocalStack stack) {
    StackSettings s = stack.settings();
    System.out.println("gridrun is up:");
    System.out.println("  API            " + stack.gatewayUrl() + "/api/v1/jobs");
    stack
        .ports()
        .forEach(
            (name, port) ->
                System.out.printf("  %-15s http://localhost:%d/actuator/health%n", name, port));
    System.out.println(
        "  Kafka          " + stack.kafkaAddress() + "  (status events: topic gridrun.status)");
    System.out.println("  executor       " + (s.docker() ? "docker" : "process (local processes)"));
    System.out.println("  projects root  " + s.projectsRoot());
    System.out.println("  data dir       " + s.dataDir());
    System.out.println("  home           " + s.home());
  }

  @Command(name = "local", description = "Start the whole stack on this machine until Ctrl-C.")
  static class Local implements Callable<Integer> {
    @CommandLine.Mixin StackOptions options = new StackOptions();

    @Override
    public Integer call() throws Exception {
      LocalStack stack = LocalStack.start(options.settings());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println("gridrun: stopping");
                    stack.close();
                    stopped.countDown();
                  }));
      printStarted(stack);
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
      try (LocalStack stack = LocalStack.start(settings)) {
        printStarted(stack);
        boolean succeeded =
            example != null
                ? new DigitsDemo(stack, examples, System.out).run() != null
                : new DemoJob(stack, examples, System.out).run();
        if (keepRunning) {
          System.out.println("The stack keeps running; press Ctrl-C to stop.");
          new CountDownLatch(1).await();
        }
        return succeeded ? 0 : 1;
      }
    }
  }
}

package io.gridrun.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./gridrun local|demo} as the launcher runs it, {@code java … GridrunCli <args>} from the
 * repository's root, in a process of its own with its own {@code GRIDRUN_HOME} and ports given as
 * the launcher's environment variables; its console (standard output and error together) is kept in
 * a file.
 */
final class GridrunProcess implements AutoCloseable {

  private final Process process;
  private final Path console;

  private GridrunProcess(Process process, Path console) {
    this.process = process;
    this.console = console;
  }

  /**
   * Starts {@code GridrunCli args…} with {@code GRIDRUN_HOME=home}, {@code GRIDRUN_PORT}, {@code
   * GRIDRUN_KAFKA_PORT} from {@code ports} and {@code env} on top; the console goes to {@code
   * console}.
   */
  static GridrunProcess start(
      Path home, Ports ports, Map<String, String> env, Path console, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-cp");
    command.add(ChildService.classPath());
    command.add(GridrunCli.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(Path.of("..").toAbsolutePath().normalize().toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("GRIDRUN_"));
    builder.environment().put("GRIDRUN_HOME", home.toString());
    builder.environment().put("GRIDRUN_PORT", String.valueOf(ports.gateway()));
    builder.environment().put("GRIDRUN_KAFKA_PORT", String.valueOf(ports.kafka()));
    builder.environment().putAll(env);
    return new GridrunProcess(builder.start(), console);
  }

  /** The console so far, line by line. */
  List<String> console() throws IOException {
    return Files.readString(console, StandardCharsets.UTF_8).lines().toList();
  }

  /** Waits for the process to end; its exit code, or -1 if it did not end in time. */
  int waitFor(long minutes) throws InterruptedException {
    return process.waitFor(minutes, TimeUnit.MINUTES) ? process.exitValue() : -1;
  }

  /**
   * kill -9 of the launcher and of every process under it (the database's), all at once as a crash
   * would: no shutdown hook runs anywhere. Containers, run by Docker's daemon, stay.
   */
  void killAll() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Stops it as Ctrl-C would (SIGTERM runs the shutdown hooks), killing it after a grace. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** A gateway port with the two after it free (job-service, snapshot-service) and a Kafka port. */
  record Ports(int gateway, int kafka) {

    static Ports free() throws IOException {
      while (true) {
        int gateway = freePort();
        if (gateway < 65000 && PortCheck.free(gateway + 1) && PortCheck.free(gateway + 2)) {
          int kafka = freePort();
          if (kafka < gateway || kafka > gateway + 2) {
            return new Ports(gateway, kafka);
          }
        }
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}

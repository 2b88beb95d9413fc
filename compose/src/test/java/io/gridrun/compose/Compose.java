package io.gridrun.compose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-compose} (1.29) and {@code docker} on the command line, for the cluster
 * test: every call waits for its exit, keeps its output in a log, and fails with that output when
 * the command fails.
 */
final class Compose {

  private final Path root;
  private final String project;
  private final List<Path> files;
  private final Map<String, String> environment;
  private final Path log;

  Compose(Path root, String project, List<Path> files, Map<String, String> environment, Path log) {
    this.root = root;
    this.project = project;
    this.files = files;
    this.environment = environment;
    this.log = log;
  }

  /** {@code docker-compose -p <project> -f … <args>}. */
  String compose(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker-compose", "-p", project));
    for (Path file : files) {
      command.add("-f");
      command.add(file.toString());
    }
    command.addAll(List.of(args));
    return run(command, timeout);
  }

  /** {@code docker <args>}. */
  String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(command, Duration.ofMinutes(2));
  }

  /** Lines of {@code docker <args>}, blank ones left out. */
  List<String> dockerLines(String... args) throws IOException, InterruptedException {
    return docker(args).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** Any command with the compose environment, run in the repository's root. */
  String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    Path output = Files.createTempFile("gridrun-compose-", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Files.writeString(
          log,
          "$ " + String.join(" ", command) + "\n" + text + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      if (!exited || process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + (exited ? " exited with " + process.exitValue() : " timed out after " + timeout)
                + ":\n"
                + tail(text, 40));
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}

package io.gridrun.local;

import java.nio.file.Path;

/**
 * Where and how the local stack runs.
 *
 * @param home state of the stack: MongoDB file, blobs, logs, working copies
 * @param gatewayPort 0 picks a free port
 * @param kafkaPort 0 picks a free port
 * @param persistent true keeps MongoDB data in a file under {@code home}; false keeps it in memory
 * @param docker true runs steps in Docker containers, false as local processes
 * @param runners runner-service instances in this JVM (0: runs are requested but not executed)
 * @param jobServiceUrl an already running job-service to use instead of starting one; null starts
 *     one in this JVM
 */
public record StackSettings(
    Path home,
    Path projectsRoot,
    Path dataDir,
    int gatewayPort,
    int kafkaPort,
    boolean persistent,
    boolean docker,
    int runners,
    String jobServiceUrl) {

  public StackSettings(
      Path home,
      Path projectsRoot,
      Path dataDir,
      int gatewayPort,
      int kafkaPort,
      boolean persistent,
      boolean docker) {
    this(home, projectsRoot, dataDir, gatewayPort, kafkaPort, persistent, docker, 1, null);
  }

  public StackSettings withRunners(int count) {
    return new StackSettings(
        home,
        projectsRoot,
        dataDir,
        gatewayPort,
        kafkaPort,
        persistent,
        docker,
        count,
        jobServiceUrl);
  }

  public StackSettings withJobServiceAt(String url) {
    return new StackSettings(
        home, projectsRoot, dataDir, gatewayPort, kafkaPort, persistent, docker, runners, url);
  }

  public Path blobs() {
    return home.resolve("blobs");
  }

  public Path logs() {
    return home.resolve("logs");
  }

  public Path work() {
    return home.resolve("work");
  }
}

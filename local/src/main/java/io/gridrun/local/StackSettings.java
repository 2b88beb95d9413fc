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
 */
public record StackSettings(
    Path home,
    Path projectsRoot,
    Path dataDir,
    int gatewayPort,
    int kafkaPort,
    boolean persistent,
    boolean docker) {

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

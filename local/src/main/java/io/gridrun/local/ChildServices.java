package io.gridrun.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's services that run in processes of their own ({@link
 * LocalStack#inChildProcesses()}): launched, awaited until healthy, killed and started again one by
 * one, stopped in the reverse order of their start.
 */
final class ChildServices {

  private static final Duration START = Duration.ofMinutes(4);

  private final Map<String, ChildService> children = new LinkedHashMap<>();
  private final Path serviceLogs;
  private final StartListener listener;

  ChildServices(Path serviceLogs, StartListener listener) {
    this.serviceLogs = serviceLogs;
    this.listener = listener;
  }

  /**
   * Launches the service {@code name} with {@code properties} (its port a free one, kept across
   * restarts); {@link #awaitHealthy()} waits for it. Returns its port.
   */
  int launch(String name, Class<?> mainClass, Map<String, String> properties) {
    Map<String, String> own = new LinkedHashMap<>(properties);
    own.remove("server.port");
    try {
      Files.createDirectories(serviceLogs);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ChildService child =
        StartedParts.as(
            listener,
            name,
            () ->
                ChildService.launch(
                    new ChildService.Spec(
                        name,
                        mainClass.getName(),
                        List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        own,
                        ServiceLogs.file(serviceLogs, name))));
    children.put(name, child);
    return child.port();
  }

  /** Waits until every launched service is healthy. */
  void awaitHealthy() throws Exception {
    for (ChildService child : children.values()) {
      ServiceLogs.as(
          child.name(),
          () -> {
            child.awaitHealthy(START);
            return null;
          });
    }
  }

  ChildService get(String name) {
    ChildService child = children.get(name);
    if (child == null) {
      throw new IllegalArgumentException(name + " does not run in a process of its own");
    }
    return child;
  }

  /** The service {@code name} in a new process on the same port, once healthy. */
  ChildService restart(String name) throws IOException, InterruptedException {
    ChildService relaunched = get(name).relaunch();
    children.put(name, relaunched);
    relaunched.awaitHealthy(START);
    return relaunched;
  }

  /** Stops them, the last started first; closing again does nothing. */
  void close() {
    List<ChildService> started = new ArrayList<>(children.values());
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    children.clear();
  }
}

package io.gridrun.local;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where and how the local stack runs. Copies with other values come from the withers generated in
 * {@code StackSettingsBuilder.With} ({@code withRunners}, {@code withJobServiceUrl}, {@code
 * withBind}, …).
 *
 * @param home state of the stack: MongoDB file, blobs, logs, working copies
 * @param gatewayPort 0 picks a free port
 * @param kafkaPort 0 picks a free port
 * @param persistent true keeps MongoDB data in a file under {@code home}; false keeps it in memory
 * @param docker true runs steps in Docker containers, false as local processes
 * @param runners runner-service instances in this JVM (0: runs are requested but not executed,
 *     unless runners in processes of their own join, see {@link LocalStack#runnerProperties})
 * @param jobServiceUrl an already running job-service to use instead of starting one; null starts
 *     one in this JVM
 * @param leases how job-service keeps the leases of runs in flight; null: its defaults
 * @param runnerSlots runs each runner of this stack executes at once ({@code
 *     gridrun.runner.slots}), in this JVM or joining through {@link LocalStack#runnerProperties};
 *     0: the runner's default
 * @param bind the address the gateway listens on ({@code --bind}, {@code GRIDRUN_BIND}); every
 *     other listener (services, broker, database) is on 127.0.0.1 whatever it says
 */
@RecordBuilder
public record StackSettings(
    Path home,
    Path projectsRoot,
    Path dataDir,
    int gatewayPort,
    int kafkaPort,
    boolean persistent,
    boolean docker,
    int runners,
    String jobServiceUrl,
    Leases leases,
    int runnerSlots,
    String bind)
    implements StackSettingsBuilder.With {

  /** Where the gateway listens unless told otherwise: this machine only. */
  public static final String LOOPBACK = "127.0.0.1";

  /**
   * job-service's leases on runs in flight: a run whose runner was not heard of for {@code timeout}
   * is requested again; expired leases are looked for every {@code check}. Tests shorten both so
   * that a lost runner is noticed in seconds.
   */
  public record Leases(Duration timeout, Duration check) {

    Map<String, String> properties() {
      return Map.of(
          "gridrun.jobs.lease-timeout", timeout.toMillis() + "ms",
          "gridrun.jobs.lease-check", check.toMillis() + "ms");
    }
  }

  public StackSettings(
      Path home,
      Path projectsRoot,
      Path dataDir,
      int gatewayPort,
      int kafkaPort,
      boolean persistent,
      boolean docker) {
    this(
        home,
        projectsRoot,
        dataDir,
        gatewayPort,
        kafkaPort,
        persistent,
        docker,
        1,
        null,
        null,
        0,
        LOOPBACK);
  }

  public StackSettings withLeases(Duration timeout, Duration check) {
    return withLeases(new Leases(timeout, check));
  }

  /** Every runner of this stack runs at most {@code slots} steps at once. */
  @Override
  public StackSettings withRunnerSlots(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("a runner needs at least one slot, not " + slots);
    }
    return StackSettingsBuilder.With.super.withRunnerSlots(slots);
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

  /** The Kafka broker's log directory of a persistent stack: it survives restarts. */
  public Path kafkaLog() {
    return home.resolve("kafka");
  }

  /**
   * Gateway settings the local stack takes from its environment: {@code
   * GRIDRUN_WEBHOOK_ALLOWED_HOSTS} (hosts or CIDRs webhooks may reach although internal, e.g.
   * {@code 127.0.0.1} for a receiver on this machine) and {@code GRIDRUN_CRON_MIN_INTERVAL} (the
   * shortest cron interval, e.g. {@code 1s}).
   */
  static Map<String, String> gatewayEnvironment(Map<String, String> environment) {
    Map<String, String> properties = new java.util.LinkedHashMap<>();
    String allowed = environment.get("GRIDRUN_WEBHOOK_ALLOWED_HOSTS");
    if (allowed != null && !allowed.isBlank()) {
      properties.put("gridrun.webhooks.allowed-hosts", allowed.strip());
    }
    String interval = environment.get("GRIDRUN_CRON_MIN_INTERVAL");
    if (interval != null && !interval.isBlank()) {
      properties.put("gridrun.schedule.min-interval", interval.strip());
    }
    return properties;
  }

  /** Where the local stack's services, broker and database log (see {@link ServiceLogs}). */
  public Path serviceLogs() {
    return home.resolve("service-logs");
  }
}

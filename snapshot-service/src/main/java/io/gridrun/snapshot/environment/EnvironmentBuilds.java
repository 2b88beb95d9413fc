package io.gridrun.snapshot.environment;

import io.gridrun.platform.web.ApiProblem;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and finishes environment builds: one at a time per environment (a second is refused with
 * 409), each a new numbered version tagged {@code gridrun/env-<name>:<version>}. Versions are never
 * removed, and neither are their images, so a job pinned to an older version keeps its image.
 */
public class EnvironmentBuilds {

  private static final Logger log = LoggerFactory.getLogger(EnvironmentBuilds.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final EnvironmentStore store;
  private final ImageBuilder builder;
  private final BuildLogs logs;
  private final ExecutorService executor;
  private final Clock clock;
  private final String owner;
  private final Map<String, Integer> active = new ConcurrentHashMap<>();

  /**
   * @param owner this instance's id, unique per process: recorded on the versions it builds
   */
  public EnvironmentBuilds(
      EnvironmentStore store,
      ImageBuilder builder,
      BuildLogs logs,
      ExecutorService executor,
      Clock clock,
      String owner) {
    this.store = store;
    this.builder = builder;
    this.logs = logs;
    this.executor = executor;
    this.clock = clock;
    this.owner = owner;
  }

  /** The tag of a version: a valid Docker reference whatever the environment's name. */
  public static String tagOf(String name, int version) {
    String repository =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    return "gridrun/env-" + (repository.isEmpty() ? "x" : repository) + ":" + version;
  }

  /**
   * Records a new version as {@code BUILDING} and builds it in the background (blocking call).
   *
   * @throws ApiProblem 409 while this environment is being built
   */
  public Environment start(Environment requested) {
    String name = requested.name();
    if (active.putIfAbsent(name, 0) != null) {
      throw ApiProblem.conflict(
          "environment '"
              + name
              + "' is being built (version "
              + active.getOrDefault(name, 0)
              + "); one build at a time, wait until it ends");
    }
    try {
      Environment existing = store.findNow(name).orElse(null);
      int number = existing == null ? 1 : existing.newest().map(v -> v.version() + 1).orElse(1);
      EnvironmentVersion version =
          new EnvironmentVersion(
              number,
              EnvironmentVersion.Status.BUILDING,
              null,
              tagOf(name, number),
              null,
              requested.base(),
              requested.setup(),
              clock.instant(),
              null,
              owner,
              clock.instant());
      java.util.List<EnvironmentVersion> kept =
          existing == null ? java.util.List.of() : existing.versions();
      Environment building =
          new Environment(
                  name,
                  null,
                  requested.env(),
                  clock.instant(),
                  requested.network(),
                  requested.base(),
                  requested.setup(),
                  kept)
              .withVersion(version);
      store.save(building).block(TIMEOUT);
      active.put(name, number);
      executor.execute(() -> build(name, version));
      return building;
    } catch (RuntimeException e) {
      active.remove(name);
      throw e;
    }
  }

  /** Whether that version is being built by this service now. */
  public boolean building(String name, int version) {
    Integer current = active.get(name);
    return current != null && current == version;
  }

  private void build(String name, EnvironmentVersion version) {
    EnvironmentVersion result;
    try (OutputStream log = logs.create(name, version.version())) {
      String header =
          "gridrun: building "
              + version.image()
              + " FROM "
              + version.base()
              + " with the setup script\n";
      log.write(header.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        String id = builder.build(version.base(), version.setup(), version.image(), log);
        result = version.ready(id, clock.instant());
        log.write(
            ("gridrun: READY " + version.image() + " " + id + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (ImageBuilder.BuildFailure e) {
        result = version.failed(e.getMessage(), clock.instant());
        log.write(
            ("gridrun: FAILED: " + e.getMessage() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      EnvironmentBuilds.log.warn("Build of environment {} failed", name, e);
      result = version.failed("the build could not run: " + e.getMessage(), clock.instant());
    }
    try {
      EnvironmentVersion finished = result;
      store
          .find(name)
          .map(current -> current.withVersion(finished))
          .flatMap(store::save)
          .block(TIMEOUT);
    } catch (RuntimeException e) {
      EnvironmentBuilds.log.warn("Could not record the build of environment {}", name, e);
    } finally {
      active.remove(name);
    }
  }

  /** This instance's id, as recorded on the versions it builds. */
  public String owner() {
    return owner;
  }

  /** The builds running here now: environment name → version. */
  public Map<String, Integer> active() {
    return Map.copyOf(active);
  }
}

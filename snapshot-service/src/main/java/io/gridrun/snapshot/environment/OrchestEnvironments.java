package io.gridrun.snapshot.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.pipeline.EnvironmentNames;
import io.gridrun.platform.web.ApiProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * An uploaded project's Orchest environments ({@code .orchest/environments/<uuid>/properties.json}
 * and {@code setup_script.sh}) registered as gridrun environments named by the uuid, which is what
 * the project's {@code .orchest} pipelines name, and built: Orchest's base image mapped to a local
 * one ({@link OrchestProperties#baseImages()}), the setup script with {@code sudo} dropped (it runs
 * as root). An environment whose newest version has the same base and script is not built again.
 */
public class OrchestEnvironments {

  private static final Logger log = LoggerFactory.getLogger(OrchestEnvironments.class);

  private final EnvironmentStore store;
  private final EnvironmentBuilds builds;
  private final OrchestProperties properties;

  public OrchestEnvironments(
      EnvironmentStore store, EnvironmentBuilds builds, OrchestProperties properties) {
    this.store = store;
    this.builds = builds;
    this.properties = properties;
  }

  /**
   * What happened to one environment of the upload.
   *
   * @param name the uuid, the gridrun environment's name
   * @param title Orchest's name of the environment
   * @param orchestBase the base image Orchest named
   * @param base the local image it was mapped to
   * @param version the version being built or already built; null when refused
   * @param status {@code BUILDING}, {@code READY}, {@code FAILED} (of that version) or {@code
   *     REFUSED}
   * @param reason why it was refused or failed
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Registered(
      String name,
      String title,
      String orchestBase,
      String base,
      Integer version,
      String status,
      String reason) {}

  /** Registers and builds every environment the project defines; never throws for one of them. */
  public List<Registered> register(Path project) {
    Path root = project.resolve(".orchest").resolve("environments");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Registered> registered = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        try {
          registered.add(registerOne(dir));
        } catch (RuntimeException e) {
          log.warn("Could not register the Orchest environment {}", dir, e);
          registered.add(
              refused(dir.getFileName().toString(), null, null, "it could not be registered now"));
        }
      }
    } catch (IOException e) {
      log.warn("Could not list the Orchest environments of {}", project, e);
    }
    return registered;
  }

  private Registered registerOne(Path dir) {
    String name = dir.getFileName().toString();
    if (!EnvironmentNames.isValid(name)) {
      return refused(name, null, null, "'" + name + "' is not a valid environment name");
    }
    String title = null;
    String orchestBase;
    try {
      JsonNode props =
          EventCodec.mapper().readTree(Files.readString(dir.resolve("properties.json")));
      JsonNode base = props.get("base_image");
      if (base == null || !base.isString()) {
        return refused(name, null, null, "properties.json: field 'base_image' is missing");
      }
      orchestBase = base.asString();
      title =
          props.has("name") && props.get("name").isString() ? props.get("name").asString() : null;
    } catch (IOException | RuntimeException e) {
      return refused(name, null, null, "properties.json is missing or not JSON");
    }
    String base = properties.localBase(orchestBase);
    if (base == null) {
      return refused(
          name,
          title,
          orchestBase,
          "no local base image for '"
              + orchestBase
              + "' (gridrun.orchest.base-images maps Orchest's base images)");
    }
    String setup;
    try {
      Path script = dir.resolve("setup_script.sh");
      setup = Files.isRegularFile(script) ? withoutSudo(Files.readString(script)) : "";
    } catch (IOException e) {
      return refused(name, title, orchestBase, "setup_script.sh could not be read");
    }
    Environment existing = store.findNow(name).orElse(null);
    if (existing != null) {
      EnvironmentVersion newest = existing.newest().orElse(null);
      if (newest != null
          && newest.status() != EnvironmentVersion.Status.FAILED
          && Objects.equals(newest.base(), base)
          && Objects.equals(newest.setup(), setup)) {
        return new Registered(
            name, title, orchestBase, base, newest.version(), newest.status().name(), null);
      }
    }
    try {
      Environment started =
          builds.start(
              new Environment(
                  name,
                  null,
                  Map.of(),
                  null,
                  false,
                  base,
                  setup.isBlank() ? "true\n" : setup,
                  List.of()));
      EnvironmentVersion version = started.newest().orElseThrow();
      log.info(
          "Orchest environment {} ({}): {} → {}, build {}",
          name,
          title,
          orchestBase,
          base,
          version.version());
      return new Registered(
          name, title, orchestBase, base, version.version(), version.status().name(), null);
    } catch (ApiProblem e) {
      return refused(name, title, orchestBase, e.getMessage());
    }
  }

  private static Registered refused(String name, String title, String base, String reason) {
    return new Registered(name, title, base, null, null, "REFUSED", reason);
  }

  /**
   * The script as root runs it: {@code sudo} (with its options) dropped where it starts a command —
   * at the start of a line or after {@code ;}, {@code &&}, {@code ||}, {@code |}, {@code (}.
   */
  static String withoutSudo(String script) {
    return script.replaceAll(
        "(?m)(^\\s*|[;&|(]\\s*)sudo((\\s+-[ugCDpUrt]\\s+\\S+)|(\\s+--?[A-Za-z][A-Za-z-]*(=\\S+)?))*\\s+",
        "$1");
  }
}

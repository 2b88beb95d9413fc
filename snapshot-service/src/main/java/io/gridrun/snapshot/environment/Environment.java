package io.gridrun.snapshot.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A registered environment: either an image reference ({@code image}) or an image gridrun builds
 * from {@code base} and a {@code setup} script, in numbered {@code versions} (every one kept); its
 * variables; and whether its steps get a network by default ({@code network}; null = no).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Environment(
    @MongoId(FieldType.STRING) String id,
    String image,
    Map<String, String> env,
    Instant updatedAt,
    Boolean network,
    String base,
    String setup,
    List<EnvironmentVersion> versions) {

  public Environment(String id, String image, Map<String, String> env, Instant updatedAt) {
    this(id, image, env, updatedAt, null);
  }

  public Environment(
      String id, String image, Map<String, String> env, Instant updatedAt, Boolean network) {
    this(id, image, env, updatedAt, network, null, null, null);
  }

  @com.fasterxml.jackson.annotation.JsonCreator
  public Environment {
    versions = versions == null ? List.of() : List.copyOf(versions);
  }

  public String name() {
    return id;
  }

  /** Whether gridrun builds this environment's image (else it is a reference to an image). */
  public boolean built() {
    return base != null;
  }

  /** The newest version, if it was ever built. */
  public Optional<EnvironmentVersion> newest() {
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  /** The newest version that built successfully: what new jobs pin. */
  public Optional<EnvironmentVersion> newestReady() {
    for (int i = versions.size() - 1; i >= 0; i--) {
      if (versions.get(i).status() == EnvironmentVersion.Status.READY) {
        return Optional.of(versions.get(i));
      }
    }
    return Optional.empty();
  }

  public Optional<EnvironmentVersion> version(int number) {
    return versions.stream().filter(v -> v.version() == number).findFirst();
  }

  /** The same environment with {@code version} added, or replacing the one of its number. */
  public Environment withVersion(EnvironmentVersion version) {
    List<EnvironmentVersion> updated = new java.util.ArrayList<>(versions);
    updated.removeIf(v -> v.version() == version.version());
    updated.add(version);
    updated.sort(java.util.Comparator.comparingInt(EnvironmentVersion::version));
    return new Environment(id, image, env, updatedAt, network, base, setup, updated);
  }
}

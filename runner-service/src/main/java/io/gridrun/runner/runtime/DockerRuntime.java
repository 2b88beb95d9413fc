package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs each step in its own container of the pinned image, hardened by default: no network unless
 * the step asks for it, all capabilities dropped, no new privileges, a pids limit, never the Docker
 * socket, the step's CPU and memory limits or the operator's defaults (memory without extra swap),
 * a read-only root filesystem with a writable {@code /tmp} tmpfs, a non-root user where the image
 * allows ({@link DefaultUser}) and {@code /data} mounted {@code nosuid,nodev} ({@link DataView}).
 * Containers carry gridrun labels and are always removed; a starting runner removes those a dead
 * runner left behind (see {@link LeftoverContainers}).
 *
 * <p>Round trips per step, kept to what {@code docker run --rm} needs: create, attach and wait
 * (issued together before the start, so no output is lost), start, and the removal, which happens
 * in the background once the step is closed ({@link ContainerRemovals}: a closed step's container
 * is gone soon, not at once; closing the runtime waits for the removals under way); the container
 * is inspected only when it was killed ({@code 137}: out of memory or killed). Launches are made by
 * {@link DockerLaunches}, left containers are found, adopted and removed by {@link
 * DockerLeftovers}.
 */
public class DockerRuntime implements ContainerRuntime, Closeable {

  /**
   * How containers are confined.
   *
   * @param networkMode the network mode of steps that do not ask for a network ({@code none})
   * @param openNetworkMode the network mode of steps that ask for one ({@code bridge})
   * @param pidsLimit at most this many processes per container
   * @param defaultMemoryBytes the memory limit of a step that sets none; null = none
   * @param defaultNanoCpus the CPU limit of a step that sets none; null = none
   * @param tmpSize the size of the writable {@code /tmp} tmpfs (it counts against the memory limit)
   * @param dataViews where the nosuid,nodev views of the data directory are mounted; null = a
   *     directory of the system's temporary directory
   * @param nonRootByDefault whether steps without a user of their own run as a non-root user where
   *     the image allows
   */
  public record Confinement(
      String networkMode,
      String openNetworkMode,
      long pidsLimit,
      Long defaultMemoryBytes,
      Long defaultNanoCpus,
      String tmpSize,
      Path dataViews,
      boolean nonRootByDefault) {
    public static final Confinement DEFAULT = new Confinement("none", "bridge", 1024);

    public Confinement(String networkMode, String openNetworkMode, long pidsLimit) {
      this(networkMode, openNetworkMode, pidsLimit, null, null, "1g", null, true);
    }
  }

  private final DockerClient docker;
  private final Confinement confinement;
  private final RunnerProcess process;

  /** Removals at once in the background: enough for a few slots' steps ending together. */
  private static final int REMOVAL_THREADS = 4;

  private final ContainerRemovals removals;
  private final DockerLeftovers containers;
  private final DockerLaunches launches;

  public DockerRuntime(String host) {
    this(host, Confinement.DEFAULT);
  }

  public DockerRuntime(String host, Confinement confinement) {
    this(host, confinement, null);
  }

  /**
   * @param fleet the installation this runner serves, written on its containers; only containers of
   *     the same fleet are removed or adopted (see {@link LeftoverContainers}); null: none
   */
  public DockerRuntime(String host, Confinement confinement, String fleet) {
    this.process = RunnerProcess.current(fleet);
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(200)
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(Duration.ofDays(1))
            .build();
    this.docker = DockerClientImpl.getInstance(config, http);
    this.confinement = confinement;
    Map<String, String> probeLabels = new LinkedHashMap<>(LeftoverContainers.labelsOf(process));
    probeLabels.put(StepLaunch.LABEL_RUNNER, "image-users");
    DefaultUser defaultUser = new DefaultUser(docker, probeLabels);
    DataView dataView = new DataView(viewsDirectory(confinement), true);
    this.removals = new ContainerRemovals(docker, REMOVAL_THREADS);
    this.containers = new DockerLeftovers(docker, process, removals);
    this.launches =
        new DockerLaunches(docker, confinement, process, defaultUser, dataView, removals);
  }

  private static Path viewsDirectory(Confinement confinement) {
    if (confinement.dataViews() != null) {
      return confinement.dataViews();
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "gridrun-data-views");
  }

  /**
   * Who should own working copies so that steps need no change of owner in them: nobody when this
   * root runner runs steps as nobody by default (see {@link DefaultUser}); null: the runner.
   */
  public Integer workingCopyOwner() {
    return confinement.nonRootByDefault() && DataView.isRoot() ? DefaultUser.NOBODY : null;
  }

  /** Whether the engine answers a ping. */
  public boolean available() {
    try {
      docker.pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public StepPaths pathsFor(StepWorkspace workspace) {
    return StepPaths.CONTAINER;
  }

  @Override
  public StepHandle start(StepLaunch launch, OutputStream output) throws StepLaunchException {
    return launches.start(launch, output, () -> {});
  }

  /** Runs {@code beforeStart} after the create and the attach, right before the start. */
  @Override
  public StepHandle start(StepLaunch launch, OutputStream output, Runnable beforeStart)
      throws StepLaunchException {
    return launches.start(launch, output, beforeStart);
  }

  /**
   * Removes the containers an earlier runner left behind (crash, kill -9): those carrying {@code
   * runnerId}, and those of a dead runner process on this host (see {@link LeftoverContainers}).
   */
  public int removeLeftovers(String runnerId) {
    return containers.removeLeftovers(runnerId);
  }

  /**
   * Removes the containers of runner processes on this host that are gone (killed meanwhile), at
   * the second sweep that finds them unclaimed: a runner that starts again under the dead one's id
   * has one sweep interval to adopt (claim) them first (see {@link #leftBy}). Removals of this
   * runner's own containers that the engine refused are tried again first.
   */
  public int removeOrphans() {
    return containers.removeOrphans();
  }

  @Override
  public List<LeftStep> leftBy(String runnerId) {
    return containers.leftBy(runnerId);
  }

  @Override
  public void claim(LeftStep step) {
    containers.claim(step);
  }

  @Override
  public StepHandle adopt(LeftStep step, OutputStream output) {
    return containers.adopt(step, output);
  }

  @Override
  public void discard(LeftStep step) {
    containers.discard(step);
  }

  /**
   * Images found present; an image stays once pulled or built (its id is its content), so each is
   * looked up once per runner, not once per run.
   */
  private final java.util.Set<String> presentImages =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public java.util.Optional<String> unavailable(String image) {
    if (presentImages.contains(image)) {
      return java.util.Optional.empty();
    }
    try {
      docker.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      return java.util.Optional.of("image not found: " + image);
    } catch (RuntimeException e) {
      // the engine did not answer: the launch finds out and reports it
      return java.util.Optional.empty();
    }
    if (presentImages.size() < 10_000) {
      presentImages.add(image);
    }
    return java.util.Optional.empty();
  }

  @Override
  public String name() {
    return "docker";
  }

  /**
   * Containers of closed steps whose removal is under way, or was refused by the engine and is
   * tried again at the next orphan sweep.
   */
  public int pendingRemovals() {
    return removals.pending();
  }

  /** Waits for the removals under way, then closes the engine's client. */
  @Override
  public void close() throws IOException {
    removals.close();
    docker.close();
  }
}

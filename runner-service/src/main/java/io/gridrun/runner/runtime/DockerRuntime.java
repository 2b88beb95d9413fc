package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each step in its own container of the pinned image, hardened by default: no network unless
 * the step asks for it, all capabilities dropped, no new privileges, a pids limit, never the Docker
 * socket, the step's CPU and memory limits or the operator's defaults (memory without extra swap),
 * a read-only root filesystem with a writable {@code /tmp} tmpfs, a non-root user where the image
 * allows ({@link DefaultUser}) and {@code /data} mounted {@code nosuid,nodev} ({@link DataView}).
 * Containers carry gridrun labels and are always removed; a starting runner removes those a dead
 * runner left behind (see {@link LeftoverContainers}).
 *
 * <p>Round trips per step, kept to what {@code docker run --rm} needs: create, attach (before the
 * start, so no output is lost), start, wait, remove; the container is inspected only when it was
 * killed ({@code 137}: out of memory or killed).
 */
public class DockerRuntime implements ContainerRuntime, Closeable {

  private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);

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
  private final RunnerProcess process = RunnerProcess.current();
  private final DefaultUser defaultUser;
  private final DataView dataView;

  public DockerRuntime(String host) {
    this(host, Confinement.DEFAULT);
  }

  public DockerRuntime(String host, Confinement confinement) {
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
    this.defaultUser = new DefaultUser(docker, probeLabels);
    this.dataView = new DataView(viewsDirectory(confinement), true);
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
    StepWorkspace ws = launch.workspace();
    StepIsolation isolation = launch.isolation();
    Map<String, String> env = new LinkedHashMap<>(launch.env());
    String user = isolation.user();
    if (user == null && confinement.nonRootByDefault()) {
      user = defaultUser.choose(launch.image(), ws, ws.data());
      if (user != null) {
        // the image's home is read-only now
        env.putIfAbsent("HOME", "/tmp");
      }
    }
    Path data = dataView.open(ws.data());
    HostConfig host =
        HostConfig.newHostConfig()
            .withBinds(
                new Bind(ws.project().toAbsolutePath().toString(), new Volume("/project")),
                new Bind(data.toAbsolutePath().toString(), new Volume("/data")),
                new Bind(ws.gridrun().toAbsolutePath().toString(), new Volume("/gridrun")))
            .withReadonlyRootfs(true)
            .withTmpFs(Map.of("/tmp", "rw,exec,nosuid,nodev,size=" + confinement.tmpSize()))
            .withNetworkMode(
                launch.isolation().network()
                    ? confinement.openNetworkMode()
                    : confinement.networkMode())
            .withCapDrop(Capability.ALL)
            .withSecurityOpts(List.of("no-new-privileges"))
            .withPidsLimit(confinement.pidsLimit())
            .withPrivileged(false);
    Long nanoCpus =
        isolation.nanoCpus() != null ? isolation.nanoCpus() : confinement.defaultNanoCpus();
    if (nanoCpus != null) {
      host.withNanoCPUs(nanoCpus);
    }
    Long memory =
        isolation.memoryBytes() != null
            ? isolation.memoryBytes()
            : confinement.defaultMemoryBytes();
    if (memory != null) {
      // swap equal to memory: the limit is real, the step cannot spill into swap
      host.withMemory(memory).withMemorySwap(memory);
    }
    Map<String, String> labels = new LinkedHashMap<>(launch.labels());
    labels.putAll(LeftoverContainers.labelsOf(process));
    CreateContainerResponse created;
    try {
      var create =
          docker
              .createContainerCmd(launch.image())
              .withCmd(launch.command())
              .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
              .withWorkingDir("/project")
              .withLabels(labels)
              .withHostConfig(host);
      if (user != null) {
        create.withUser(user);
      }
      created = create.exec();
    } catch (NotFoundException e) {
      dataView.close(data);
      throw StepLaunchException.permanent("image not found: " + launch.image(), e);
    } catch (RuntimeException e) {
      dataView.close(data);
      throw new StepLaunchException("could not create the container: " + e.getMessage(), e);
    }
    String id = created.getId();
    // Attach before starting, as `docker run` does: the output arrives as the process writes it,
    // including a last line without a newline, which the logs endpoint can drop at exit.
    ResultCallback.Adapter<Frame> logs = streamLogs(id, output);
    try {
      if (!logs.awaitStarted(10, java.util.concurrent.TimeUnit.SECONDS)) {
        // started unattached, its first output would be lost: try again instead
        remove(id);
        dataView.close(data);
        throw new StepLaunchException("could not attach to the container's output in time");
      }
      docker.startContainerCmd(id).exec();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      remove(id);
      dataView.close(data);
      throw new StepLaunchException("interrupted while starting the container", e);
    } catch (RuntimeException e) {
      remove(id);
      dataView.close(data);
      throw new StepLaunchException("could not start the container: " + e.getMessage(), e);
    }
    return new ContainerHandle(id, logs, data);
  }

  private final class ContainerHandle extends FollowedContainer {
    private final Path data;

    ContainerHandle(String id, ResultCallback.Adapter<Frame> logs, Path data) {
      super(DockerRuntime.this.docker, id, logs);
      this.data = data;
    }

    @Override
    public StepExit waitFor() throws InterruptedException {
      int exit = awaitExit();
      // the kernel's OOM killer sends SIGKILL: only then is a look at the state worth a round trip
      return new StepExit(exit, (exit == 137 || exit == -1) && killedForMemory());
    }

    @Override
    protected void removed() {
      dataView.close(data);
    }
  }

  /** Attaches to a not yet started container's stdout and stderr into {@code output}. */
  private ResultCallback.Adapter<Frame> streamLogs(String id, OutputStream output) {
    return docker
        .attachContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(true)
        // no replay of earlier output: attached before the start, the stream gets all of it, and
        // a replay racing with a busy engine would deliver the first lines twice
        .withLogs(false)
        .exec(FollowedContainer.writingTo(output, id));
  }

  /**
   * Removes the containers an earlier runner left behind (crash, kill -9): those carrying {@code
   * runnerId}, and those of a dead runner process on this host (see {@link LeftoverContainers}).
   */
  public int removeLeftovers(String runnerId) {
    return removeWhere(
        labels ->
            LeftoverContainers.isLeftover(labels, runnerId, process, LeftoverContainers::alive));
  }

  /** Containers found orphaned by the last sweep: removed if the next one finds them still so. */
  private final java.util.Set<String> orphansSeen =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Removes the containers of runner processes on this host that are gone (killed meanwhile), at
   * the second sweep that finds them unclaimed: a runner that starts again under the dead one's id
   * has one sweep interval to adopt (claim) them first (see {@link #leftBy}).
   */
  public int removeOrphans() {
    List<Container> orphans =
        containersWhere(
            labels -> LeftoverContainers.isOrphan(labels, process, LeftoverContainers::alive));
    List<String> ids = orphans.stream().map(Container::getId).toList();
    List<String> due = ids.stream().filter(orphansSeen::contains).toList();
    orphansSeen.retainAll(ids);
    orphansSeen.addAll(ids);
    due.forEach(this::remove);
    due.forEach(orphansSeen::remove);
    return due.size();
  }

  @Override
  public List<LeftStep> leftBy(String runnerId) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(StepLaunch.LABEL_RUNNER, runnerId))
        .exec()
        .stream()
        .filter(c -> !LeftoverContainers.claimed(c.getNames(), process, LeftoverContainers::alive))
        .filter(
            c ->
                !LeftoverContainers.createdByLiveNeighbour(
                    c.getLabels() == null ? Map.of() : c.getLabels(),
                    process,
                    LeftoverContainers::alive))
        .map(LeftoverContainers::leftStep)
        .flatMap(java.util.Optional::stream)
        .toList();
  }

  @Override
  public void claim(LeftStep step) {
    try {
      docker
          .renameContainerCmd(step.containerId())
          .withName(LeftoverContainers.claimName(process, step.containerId()))
          .exec();
    } catch (RuntimeException e) {
      log.warn("Could not claim container {}: {}", step.containerId(), e.getMessage());
    }
  }

  @Override
  public StepHandle adopt(LeftStep step, OutputStream output) {
    return new AdoptedContainer(docker, step.containerId(), output);
  }

  @Override
  public void discard(LeftStep step) {
    remove(step.containerId());
  }

  private int removeWhere(java.util.function.Predicate<Map<String, String>> leftover) {
    List<Container> leftovers = containersWhere(leftover);
    leftovers.forEach(c -> remove(c.getId()));
    return leftovers.size();
  }

  private List<Container> containersWhere(
      java.util.function.Predicate<Map<String, String>> leftover) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(List.of(StepLaunch.LABEL_RUNNER))
        .exec()
        .stream()
        .filter(c -> leftover.test(c.getLabels() == null ? Map.of() : c.getLabels()))
        // a container a live runner process adopted is its own now
        .filter(c -> !LeftoverContainers.claimed(c.getNames(), process, LeftoverContainers::alive))
        .toList();
  }

  private void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException gone) {
      // removed already
    } catch (RuntimeException e) {
      log.warn("Could not remove container {}: {}", id, e.getMessage());
    }
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

  @Override
  public void close() throws IOException {
    docker.close();
  }
}

package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each step in its own container of the pinned image, hardened by default: no network unless
 * the step asks for it, all capabilities dropped, no new privileges, a pids limit, never the Docker
 * socket, the step's CPU and memory limits (memory without extra swap). Containers carry gridrun
 * labels and are always removed; a starting runner removes those a dead runner left behind (see
 * {@link LeftoverContainers}).
 */
public class DockerRuntime implements ContainerRuntime, Closeable {

  private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);

  /**
   * How containers are confined.
   *
   * @param networkMode the network mode of steps that do not ask for a network ({@code none})
   * @param openNetworkMode the network mode of steps that ask for one ({@code bridge})
   * @param pidsLimit at most this many processes per container
   */
  public record Confinement(String networkMode, String openNetworkMode, long pidsLimit) {
    public static final Confinement DEFAULT = new Confinement("none", "bridge", 1024);
  }

  private final DockerClient docker;
  private final Confinement confinement;
  private final RunnerProcess process = RunnerProcess.current();

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
    HostConfig host =
        HostConfig.newHostConfig()
            .withBinds(
                new Bind(ws.project().toAbsolutePath().toString(), new Volume("/project")),
                new Bind(ws.data().toAbsolutePath().toString(), new Volume("/data")),
                new Bind(ws.gridrun().toAbsolutePath().toString(), new Volume("/gridrun")))
            .withNetworkMode(
                launch.isolation().network()
                    ? confinement.openNetworkMode()
                    : confinement.networkMode())
            .withCapDrop(Capability.ALL)
            .withSecurityOpts(List.of("no-new-privileges"))
            .withPidsLimit(confinement.pidsLimit())
            .withPrivileged(false);
    StepIsolation isolation = launch.isolation();
    if (isolation.nanoCpus() != null) {
      host.withNanoCPUs(isolation.nanoCpus());
    }
    if (isolation.memoryBytes() != null) {
      // swap equal to memory: the limit is real, the step cannot spill into swap
      host.withMemory(isolation.memoryBytes()).withMemorySwap(isolation.memoryBytes());
    }
    Map<String, String> labels = new LinkedHashMap<>(launch.labels());
    labels.putAll(LeftoverContainers.labelsOf(process));
    CreateContainerResponse created;
    try {
      var create =
          docker
              .createContainerCmd(launch.image())
              .withCmd(launch.command())
              .withEnv(
                  launch.env().entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .toList())
              .withWorkingDir("/project")
              .withLabels(labels)
              .withHostConfig(host);
      if (isolation.user() != null) {
        create.withUser(isolation.user());
      }
      created = create.exec();
    } catch (NotFoundException e) {
      throw StepLaunchException.permanent("image not found: " + launch.image(), e);
    } catch (RuntimeException e) {
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
        throw new StepLaunchException("could not attach to the container's output in time");
      }
      docker.startContainerCmd(id).exec();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      remove(id);
      throw new StepLaunchException("interrupted while starting the container", e);
    } catch (RuntimeException e) {
      remove(id);
      throw new StepLaunchException("could not start the container: " + e.getMessage(), e);
    }
    return new ContainerHandle(id, logs);
  }

  private final class ContainerHandle implements StepHandle {
    private final String id;
    private final ResultCallback.Adapter<Frame> logs;
    private final AtomicBoolean removed = new AtomicBoolean();

    ContainerHandle(String id, ResultCallback.Adapter<Frame> logs) {
      this.id = id;
      this.logs = logs;
    }

    @Override
    public StepExit waitFor() throws InterruptedException {
      Integer code =
          docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode();
      // the log stream ends once the container has exited and all its output was delivered
      logs.awaitCompletion();
      return new StepExit(code == null ? -1 : code, killedForMemory(id));
    }

    @Override
    public void kill() {
      try {
        docker.killContainerCmd(id).exec();
      } catch (RuntimeException alreadyGone) {
        // it ended meanwhile
      }
    }

    @Override
    public void close() {
      if (removed.compareAndSet(false, true)) {
        try {
          logs.close();
        } catch (IOException ignored) {
          // the stream is gone with the container
        }
        remove(id);
      }
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
        .exec(
            new ResultCallback.Adapter<>() {
              @Override
              public void onNext(Frame frame) {
                try {
                  output.write(frame.getPayload());
                  output.flush();
                } catch (IOException e) {
                  log.warn("Could not write the log of container {}: {}", id, e.getMessage());
                }
              }
            });
  }

  private boolean killedForMemory(String id) {
    try {
      return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getOOMKilled());
    } catch (NotFoundException gone) {
      return false;
    }
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

  /** Removes the containers of runner processes on this host that are gone (killed meanwhile). */
  public int removeOrphans() {
    return removeWhere(
        labels -> LeftoverContainers.isOrphan(labels, process, LeftoverContainers::alive));
  }

  private int removeWhere(java.util.function.Predicate<Map<String, String>> leftover) {
    List<Container> leftovers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(List.of(StepLaunch.LABEL_RUNNER))
            .exec()
            .stream()
            .filter(c -> leftover.test(c.getLabels() == null ? Map.of() : c.getLabels()))
            .toList();
    leftovers.forEach(c -> remove(c.getId()));
    return leftovers.size();
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

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public void close() throws IOException {
    docker.close();
  }
}

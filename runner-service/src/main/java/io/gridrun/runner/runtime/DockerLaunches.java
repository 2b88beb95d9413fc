package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitContainerCondition;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a step's hardened container for {@link DockerRuntime}: create (confined as its {@link
 * DockerRuntime.Confinement} says); attach and wait for its next exit, both issued together before
 * the start (as {@code docker run} does), so no output is lost and no round trip follows the start;
 * start. The container's {@code /data} is a nosuid,nodev view that is closed once the container is
 * removed, which happens in the background after the step ({@link ContainerRemovals}).
 */
final class DockerLaunches {

  private final DockerClient docker;
  private final DockerRuntime.Confinement confinement;
  private final RunnerProcess process;
  private final DefaultUser defaultUser;
  private final DataView dataView;
  private final ContainerRemovals removals;

  DockerLaunches(
      DockerClient docker,
      DockerRuntime.Confinement confinement,
      RunnerProcess process,
      DefaultUser defaultUser,
      DataView dataView,
      ContainerRemovals removals) {
    this.docker = docker;
    this.confinement = confinement;
    this.process = process;
    this.defaultUser = defaultUser;
    this.dataView = dataView;
    this.removals = removals;
  }

  /**
   * Creates, attaches and starts the step's container; {@code beforeStart} runs right before the
   * start, and what it throws propagates once the container is removed.
   */
  StepHandle start(StepLaunch launch, OutputStream output, Runnable beforeStart)
      throws StepLaunchException {
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
    // including a last line without a newline, which the logs endpoint can drop at exit. The wait
    // for the next exit goes out at the same time, so the start is the last round trip.
    ResultCallback.Adapter<Frame> logs = streamLogs(id, output);
    WaitContainerResultCallback exit =
        docker
            .waitContainerCmd(id)
            .withCondition(WaitContainerCondition.NEXT_EXIT)
            .exec(new WaitContainerResultCallback());
    try {
      // the engine answers a wait's headers once the wait is registered: an exit cannot slip by
      if (!logs.awaitStarted(10, TimeUnit.SECONDS) || !exit.awaitStarted(10, TimeUnit.SECONDS)) {
        // started unattached, its first output would be lost: try again instead
        abandon(id, data, logs, exit);
        throw new StepLaunchException("could not attach to the container's output in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(id, data, logs, exit);
      throw new StepLaunchException("interrupted while starting the container", e);
    }
    try {
      beforeStart.run();
    } catch (RuntimeException e) {
      abandon(id, data, logs, exit);
      throw e;
    }
    try {
      docker.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      abandon(id, data, logs, exit);
      throw new StepLaunchException("could not start the container: " + e.getMessage(), e);
    }
    return new ContainerHandle(id, logs, exit, data);
  }

  /** Removes a container that did not start, with its streams and data view, before the retry. */
  private void abandon(String id, Path data, java.io.Closeable logs, java.io.Closeable exit) {
    for (java.io.Closeable stream : List.of(logs, exit)) {
      try {
        stream.close();
      } catch (java.io.IOException ignored) {
        // it goes with the container
      }
    }
    removals.removeNow(id);
    dataView.close(data);
  }

  private final class ContainerHandle extends FollowedContainer {
    private final Path data;

    ContainerHandle(
        String id,
        ResultCallback.Adapter<Frame> logs,
        WaitContainerResultCallback exit,
        Path data) {
      super(DockerLaunches.this.docker, id, logs, exit, removals);
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
}

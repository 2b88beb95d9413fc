package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step container whose output is streamed while it runs: waiting for its exit and the last of its
 * output, killing it, and removing it once, in the background ({@link ContainerRemovals}), when it
 * is closed. Started by this runner ({@link DockerRuntime}) or adopted from a predecessor ({@link
 * AdoptedContainer}).
 */
abstract class FollowedContainer implements StepHandle {

  private static final Logger log = LoggerFactory.getLogger(FollowedContainer.class);

  protected final DockerClient docker;
  protected final String id;
  private final ResultCallback.Adapter<Frame> logs;
  private final WaitContainerResultCallback exit;
  private final ContainerRemovals removals;
  private final AtomicBoolean removed = new AtomicBoolean();

  /**
   * @param exit a wait for the container's exit issued already (before its start, saving a round
   *     trip after it); null: one is issued when the exit is awaited
   */
  FollowedContainer(
      DockerClient docker,
      String id,
      ResultCallback.Adapter<Frame> logs,
      WaitContainerResultCallback exit,
      ContainerRemovals removals) {
    this.docker = docker;
    this.id = id;
    this.logs = logs;
    this.exit = exit;
    this.removals = removals;
  }

  /** A callback that writes a container's output frames into {@code output} as they come. */
  static ResultCallback.Adapter<Frame> writingTo(java.io.OutputStream output, String id) {
    return new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        try {
          output.write(frame.getPayload());
          output.flush();
        } catch (IOException e) {
          log.warn("Could not write the log of container {}: {}", id, e.getMessage());
        }
      }
    };
  }

  /** Waits for the exit, then for the end of the log stream; -1 when the engine does not say. */
  protected int awaitExit() throws InterruptedException {
    WaitContainerResultCallback wait =
        exit != null ? exit : docker.waitContainerCmd(id).exec(new WaitContainerResultCallback());
    Integer code = wait.awaitStatusCode();
    // the log stream ends once the container has exited and all its output was delivered
    logs.awaitCompletion();
    return code == null ? -1 : code;
  }

  /** Whether the kernel's OOM killer ended it (a gone container: no). */
  protected boolean killedForMemory() {
    try {
      return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getOOMKilled());
    } catch (NotFoundException gone) {
      return false;
    }
  }

  /** A container is adopted by a runner started again: removed only once its end is recorded. */
  @Override
  public boolean closedOnceEndRecorded() {
    return true;
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
      closeQuietly(logs);
      closeQuietly(exit);
      removals.removeLater(id, this::removed);
    }
  }

  private static void closeQuietly(java.io.Closeable stream) {
    if (stream == null) {
      return;
    }
    try {
      stream.close();
    } catch (IOException ignored) {
      // the stream is gone with the container
    }
  }

  /** After the container was removed (in the background): what else it held goes too. */
  protected void removed() {}
}

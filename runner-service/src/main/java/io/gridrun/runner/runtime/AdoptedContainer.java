package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step container an earlier runner process started, followed by this one: its whole output from
 * the start (the engine keeps it), then its exit. Closing removes the container, which the caller
 * does only once the step's outcome is recorded.
 */
final class AdoptedContainer implements StepHandle {

  private static final Logger log = LoggerFactory.getLogger(AdoptedContainer.class);

  private final DockerClient docker;
  private final String id;
  private final ResultCallback.Adapter<Frame> logs;
  private final AtomicBoolean removed = new AtomicBoolean();

  AdoptedContainer(DockerClient docker, String id, OutputStream output) {
    this.docker = docker;
    this.id = id;
    this.logs =
        docker
            .logContainerCmd(id)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(true)
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

  @Override
  public StepExit waitFor() throws InterruptedException {
    Integer code =
        docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode();
    logs.awaitCompletion();
    boolean oom;
    try {
      oom = Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getOOMKilled());
    } catch (NotFoundException gone) {
      oom = false;
    }
    return new StepExit(code == null ? -1 : code, oom);
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
      try {
        docker.removeContainerCmd(id).withForce(true).exec();
      } catch (NotFoundException gone) {
        // removed already
      } catch (RuntimeException e) {
        log.warn("Could not remove container {}: {}", id, e.getMessage());
      }
    }
  }
}

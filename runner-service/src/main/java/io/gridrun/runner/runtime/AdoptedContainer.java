package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.OutputStream;

/**
 * A step container an earlier runner process started, followed by this one: its whole output from
 * the start (the engine keeps it), then its exit. Closing removes the container (in the
 * background), which the caller does only once the step's outcome is recorded.
 */
final class AdoptedContainer extends FollowedContainer {

  AdoptedContainer(
      DockerClient docker, String id, OutputStream output, ContainerRemovals removals) {
    super(docker, id, follow(docker, id, output), null, removals);
  }

  private static ResultCallback.Adapter<Frame> follow(
      DockerClient docker, String id, OutputStream output) {
    return docker
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(true)
        .exec(FollowedContainer.writingTo(output, id));
  }

  @Override
  public StepExit waitFor() throws InterruptedException {
    int exit = awaitExit();
    return new StepExit(exit, killedForMemory());
  }
}

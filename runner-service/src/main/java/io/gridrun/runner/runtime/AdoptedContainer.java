package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step container an earlier runner process started, followed by this one: its whole output from
 * the start (the engine keeps it), then its exit. Closing removes the container, which the caller
 * does only once the step's outcome is recorded.
 */
final class AdoptedContainer extends FollowedContainer {

  private static final Logger log = LoggerFactory.getLogger(AdoptedContainer.class);

  AdoptedContainer(DockerClient docker, String id, OutputStream output) {
    super(docker, id, follow(docker, id, output));
  }

  private static ResultCallback.Adapter<Frame> follow(
      DockerClient docker, String id, OutputStream output) {
    return docker
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
    int exit = awaitExit();
    return new StepExit(exit, killedForMemory());
  }
}

package io.gridrun.runner.runtime;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A step's Pod, watched by polling its status; its output is read from the Pod once it ended. */
final class PodHandle implements StepHandle {
  private final KubernetesClient client;
  private final KubernetesRuntime.Settings settings;
  private final StepPods pods;
  private final String name;
  private final OutputStream output;
  private volatile boolean killed;

  PodHandle(
      KubernetesClient client,
      KubernetesRuntime.Settings settings,
      StepPods pods,
      String name,
      OutputStream output) {
    this.client = client;
    this.settings = settings;
    this.pods = pods;
    this.name = name;
    this.output = output;
  }

  @Override
  public StepExit waitFor() throws InterruptedException {
    while (true) {
      Pod pod = client.pods().inNamespace(settings.namespace()).withName(name).get();
      if (pod == null || killed) {
        return StepExit.of(137);
      }
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        copyLog();
        return exitOf(pod);
      }
      Thread.sleep(settings.poll().toMillis());
    }
  }

  private StepExit exitOf(Pod pod) {
    if ("DeadlineExceeded".equals(pod.getStatus().getReason())) {
      return StepExit.of(137);
    }
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      ContainerStateTerminated terminated =
          status.getState() == null ? null : status.getState().getTerminated();
      if (terminated != null) {
        int code = terminated.getExitCode() == null ? 1 : terminated.getExitCode();
        return new StepExit(code, "OOMKilled".equals(terminated.getReason()));
      }
    }
    return StepExit.of("Succeeded".equals(pod.getStatus().getPhase()) ? 0 : 1);
  }

  private void copyLog() {
    try {
      String log = client.pods().inNamespace(settings.namespace()).withName(name).getLog();
      if (log != null) {
        output.write(log.getBytes(StandardCharsets.UTF_8));
        output.flush();
      }
    } catch (KubernetesClientException | IOException e) {
      try {
        output.write(
            ("gridrun: the step's output could not be read from its Pod: " + e.getMessage() + "\n")
                .getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the log is gone too
      }
    }
  }

  @Override
  public void kill() {
    killed = true;
    pods.delete(name);
  }

  @Override
  public void close() {
    pods.delete(name);
  }
}

package io.gridrun.runner.runtime;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A step's Pod, watched by polling its status. Its output is followed live from the Pod once its
 * container runs ({@code follow=true}); when it ended, whatever the follow did not deliver (it
 * failed, or the step ended before it began) is read from the Pod's log and appended, so the step's
 * log is whole and nothing in it twice.
 */
final class PodHandle implements StepHandle {
  private final KubernetesClient client;
  private final KubernetesRuntime.Settings settings;
  private final StepPods pods;
  private final String name;
  private final OutputStream output;
  private volatile boolean killed;
  private final LiveOutput live;
  private io.fabric8.kubernetes.client.dsl.LogWatch follow;

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
    this.live = new LiveOutput(output);
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
        stopFollowing();
        copyLog();
        return exitOf(pod);
      }
      if ("Running".equals(phase) && follow == null) {
        startFollowing();
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

  private void startFollowing() {
    try {
      follow = client.pods().inNamespace(settings.namespace()).withName(name).watchLog(live);
    } catch (KubernetesClientException e) {
      // read once it ended instead
      follow = NOT_FOLLOWED;
    }
  }

  private void stopFollowing() {
    if (follow != null && follow != NOT_FOLLOWED) {
      try {
        follow
            .onClose()
            .toCompletableFuture()
            .get(settings.poll().toMillis() * 5 + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (Exception notDoneYet) {
        if (notDoneYet instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
      follow.close();
    }
    live.stop();
  }

  /** Appends what the live follow did not deliver of the Pod's whole log. */
  private void copyLog() {
    try {
      String log = client.pods().inNamespace(settings.namespace()).withName(name).getLog();
      if (log != null) {
        byte[] all = log.getBytes(StandardCharsets.UTF_8);
        long delivered = live.delivered();
        if (delivered < all.length) {
          output.write(all, (int) delivered, all.length - (int) delivered);
          output.flush();
        }
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

  private static final io.fabric8.kubernetes.client.dsl.LogWatch NOT_FOLLOWED =
      new io.fabric8.kubernetes.client.dsl.LogWatch() {
        @Override
        public java.io.InputStream getOutput() {
          return java.io.InputStream.nullInputStream();
        }

        @Override
        public java.util.concurrent.CompletionStage<Throwable> onClose() {
          return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
      };

  /** The step's output as the live follow delivers it, counted; nothing more once stopped. */
  private static final class LiveOutput extends OutputStream {
    private final OutputStream output;
    private long delivered;
    private boolean stopped;

    LiveOutput(OutputStream output) {
      this.output = output;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      if (!stopped) {
        output.write(b, off, len);
        output.flush();
        delivered += len;
      }
    }

    synchronized void stop() {
      stopped = true;
    }

    synchronized long delivered() {
      return delivered;
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

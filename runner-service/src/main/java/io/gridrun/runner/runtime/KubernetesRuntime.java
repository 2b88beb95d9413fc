package io.gridrun.runner.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs each step as a Pod ({@code restartPolicy: Never}) in one namespace: the pinned image, the
 * step's CPU and memory as requests and limits, the run's remaining time as {@code
 * activeDeadlineSeconds}, no service-account token, non-root, no privilege escalation, all
 * capabilities dropped, a read-only root file system with an empty {@code /tmp}. The working copy
 * and the step's {@code /gridrun} directory are mounted from the ReadWriteMany claim that holds the
 * runner's work directory (sub-paths of it), or the working copy is fetched from the object store
 * by an init container into an empty directory ({@link WorkingCopyFetch}); {@code /data} comes from
 * the data claim. The step's output is followed live from the Pod while it runs, and what the
 * follow missed is read once it ended; cancelling deletes the Pod. Pods carry the runner's labels,
 * so those of a runner that is gone (its Pod no longer exists) are found and removed.
 */
public final class KubernetesRuntime implements ContainerRuntime {

  public static final String LABEL_RUNNER_POD = "gridrun.runner-pod";
  public static final String LABEL_NETWORK = "gridrun.network";

  /**
   * @param namespace where step Pods go (the runner's own, usually)
   * @param workClaim the ReadWriteMany claim holding the runners' work directories
   * @param workMount where the runner sees that claim; its work directory lies below
   * @param dataClaim the claim mounted at {@code /data}
   * @param runnerPod the runner's own Pod name ({@code HOSTNAME}), to find its leftovers
   * @param defaultUid the user of a step whose environment names no numeric user
   * @param poll how often a running Pod's status is read
   */
  public record Settings(
      String namespace,
      String workClaim,
      Path workMount,
      String dataClaim,
      String runnerPod,
      long defaultUid,
      Duration poll,
      WorkingCopyFetch fetch) {

    /** Settings that mount the working copy from the work claim. */
    public Settings(
        String namespace,
        String workClaim,
        Path workMount,
        String dataClaim,
        String runnerPod,
        long defaultUid,
        Duration poll) {
      this(namespace, workClaim, workMount, dataClaim, runnerPod, defaultUid, poll, null);
    }
  }

  /**
   * The working copy fetched from the object store by an init container instead of mounted from the
   * work claim: {@code image} runs {@link io.gridrun.runner.storage.FetchWorkingCopy} (the
   * runner-service image does), with the object store's settings and credentials from the Secret
   * {@code secret} as its environment.
   *
   * @param image the init container's image, e.g. the runner-service image
   * @param secret the Secret whose keys become the init container's environment ({@code
   *     GRIDRUN_S3_BUCKET}, {@code GRIDRUN_S3_ENDPOINT}, {@code AWS_ACCESS_KEY_ID}, …)
   */
  public record WorkingCopyFetch(String image, String secret) {}

  private final KubernetesClient client;
  private final Settings settings;
  private final StepPodSpec specs;
  private final StepPods pods;

  public KubernetesRuntime(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
    this.specs = new StepPodSpec(settings, KubernetesRuntime::manifestOf);
    this.pods = new StepPods(client, settings);
  }

  @Override
  public StepPaths pathsFor(StepWorkspace workspace) {
    return StepPaths.CONTAINER;
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public StepHandle start(StepLaunch launch, OutputStream output) throws StepLaunchException {
    Pod pod = podFor(launch);
    try {
      client.pods().inNamespace(settings.namespace()).resource(pod).create();
    } catch (KubernetesClientException e) {
      throw new StepLaunchException("the step's Pod could not be created: " + e.getMessage(), e);
    }
    return new PodHandle(client, settings, pods, pod.getMetadata().getName(), output);
  }

  /** The Pod of a step, as it is created. */
  public Pod podFor(StepLaunch launch) {
    return specs.podFor(launch);
  }

  /**
   * Removes step Pods this runner's Pod left from an earlier life (another runner process) and Pods
   * of runner Pods that no longer exist; returns how many.
   */
  public int removeLeftovers(String runnerId) {
    return pods.removeLeftovers(runnerId);
  }

  /** Removes the step Pods of runner Pods that no longer exist; returns how many. */
  public int removeOrphans() {
    return pods.removeOrphans();
  }

  /**
   * The snapshot manifest of the step's run, from the request the runner recorded next to the
   * working copy ({@code <work>/<run>/request.json}); null when none is recorded.
   */
  static String manifestOf(StepLaunch launch) {
    Path request = launch.workspace().project().resolveSibling("request.json");
    try {
      if (io.gridrun.common.event.EventCodec.decode(java.nio.file.Files.readString(request))
          instanceof io.gridrun.common.event.RunRequested run) {
        return run.manifest();
      }
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** A label value as Kubernetes accepts it (63 characters at most, alphanumeric ends). */
  static String labelValue(String value) {
    return StepPodSpec.labelValue(value);
  }
}

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
 * runner's work directory (sub-paths of it), {@code /data} from the data claim. The step's output
 * is read from the Pod once it ended; cancelling deletes the Pod. Pods carry the runner's labels,
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
      Duration poll) {}

  private final KubernetesClient client;
  private final Settings settings;
  private final StepPodSpec specs;
  private final StepPods pods;

  public KubernetesRuntime(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
    this.specs = new StepPodSpec(settings);
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

  /** A label value as Kubernetes accepts it (63 characters at most, alphanumeric ends). */
  static String labelValue(String value) {
    return StepPodSpec.labelValue(value);
  }
}

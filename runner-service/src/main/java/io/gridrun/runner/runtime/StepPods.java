package io.gridrun.runner.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;

/**
 * The step Pods of one namespace as a runner sees them: deleting one, and finding those left by a
 * runner that is gone (its Pod no longer exists) or by an earlier process of this runner's Pod.
 */
final class StepPods {

  private final KubernetesClient client;
  private final KubernetesRuntime.Settings settings;

  StepPods(KubernetesClient client, KubernetesRuntime.Settings settings) {
    this.client = client;
    this.settings = settings;
  }

  /**
   * Removes step Pods this runner's Pod left from an earlier life (another runner process) and Pods
   * of runner Pods that no longer exist; returns how many.
   */
  int removeLeftovers(String runnerId) {
    int removed = 0;
    for (Pod pod : stepPods()) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      String runnerPod = labels.get(KubernetesRuntime.LABEL_RUNNER_POD);
      boolean earlierLife =
          StepPodSpec.labelValue(settings.runnerPod()).equals(runnerPod)
              && !StepPodSpec.labelValue(runnerId).equals(labels.get(StepLaunch.LABEL_RUNNER));
      if (earlierLife || runnerGone(runnerPod)) {
        removed += delete(pod.getMetadata().getName()) ? 1 : 0;
      }
    }
    return removed;
  }

  /** Removes the step Pods of runner Pods that no longer exist; returns how many. */
  int removeOrphans() {
    int removed = 0;
    for (Pod pod : stepPods()) {
      if (runnerGone(pod.getMetadata().getLabels().get(KubernetesRuntime.LABEL_RUNNER_POD))) {
        removed += delete(pod.getMetadata().getName()) ? 1 : 0;
      }
    }
    return removed;
  }

  private List<Pod> stepPods() {
    return client
        .pods()
        .inNamespace(settings.namespace())
        .withLabel(KubernetesRuntime.LABEL_RUNNER_POD)
        .list()
        .getItems();
  }

  private boolean runnerGone(String runnerPod) {
    return runnerPod != null
        && !runnerPod.equals(StepPodSpec.labelValue(settings.runnerPod()))
        && client.pods().inNamespace(settings.namespace()).withName(runnerPod).get() == null;
  }

  boolean delete(String pod) {
    try {
      return !client
          .pods()
          .inNamespace(settings.namespace())
          .withName(pod)
          .withGracePeriod(0)
          .delete()
          .isEmpty();
    } catch (KubernetesClientException e) {
      return false;
    }
  }
}

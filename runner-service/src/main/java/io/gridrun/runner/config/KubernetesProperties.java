package io.gridrun.runner.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Steps as Pods ({@code gridrun.runner.executor=kubernetes}); the client's own settings (in-cluster
 * service account, {@code KUBECONFIG}) say which cluster.
 *
 * @param namespace where step Pods go; default: the runner's own (from its service account)
 * @param workClaim the ReadWriteMany claim mounted at {@code work-mount} in every runner, holding
 *     their work directories; step Pods mount their working copy from it
 * @param workMount where the runner mounts {@code work-claim}; its work directory lies below
 * @param dataClaim the claim step Pods mount at {@code /data}
 * @param defaultUid the user of steps whose environment names no numeric user (never root)
 * @param poll how often a step Pod's status is read
 * @param workingCopy where step Pods get their working copy: {@code claim} (a sub-path of {@code
 *     work-claim}) or {@code object-store} (fetched by an init container into an empty directory)
 * @param fetchImage the init container's image with {@code object-store}: the runner-service image
 * @param fetchSecret the Secret whose keys are the init container's environment with {@code
 *     object-store}: {@code GRIDRUN_S3_BUCKET}, {@code GRIDRUN_S3_ENDPOINT}, {@code
 *     AWS_ACCESS_KEY_ID}, …
 */
@ConfigurationProperties("gridrun.kubernetes")
public record KubernetesProperties(
    String namespace,
    @DefaultValue("gridrun-work") String workClaim,
    @DefaultValue("/var/lib/gridrun/work") Path workMount,
    @DefaultValue("gridrun-data") String dataClaim,
    @DefaultValue("1000") long defaultUid,
    @DefaultValue("1s") Duration poll,
    @DefaultValue("claim") WorkingCopy workingCopy,
    @DefaultValue("gridrun/runner-service:latest") String fetchImage,
    @DefaultValue("gridrun-object-store") String fetchSecret) {

  /** Where step Pods get their working copy. */
  public enum WorkingCopy {
    CLAIM,
    OBJECT_STORE
  }

  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** The configured namespace, else the service account's, else {@code default}. */
  public String namespaceOrOwn() {
    if (namespace != null && !namespace.isBlank()) {
      return namespace;
    }
    try {
      return java.nio.file.Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip();
    } catch (java.io.IOException notInACluster) {
      return "default";
    }
  }
}

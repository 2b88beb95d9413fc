package io.gridrun.runner.runtime;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
  private static final Pattern NUMERIC_UID = Pattern.compile("(\\d+)(?::(\\d+))?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");

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

  public KubernetesRuntime(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
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
    return new PodHandle(pod.getMetadata().getName(), output);
  }

  /** The Pod of a step, as it is created. */
  public Pod podFor(StepLaunch launch) {
    Map<String, String> labels = new LinkedHashMap<>();
    launch.labels().forEach((k, v) -> labels.put(k, labelValue(v)));
    labels.put(LABEL_RUNNER_POD, labelValue(settings.runnerPod()));
    labels.put(LABEL_NETWORK, launch.isolation().network() ? "allowed" : "none");
    Map<String, Quantity> resources = new LinkedHashMap<>();
    if (launch.isolation().nanoCpus() != null) {
      resources.put(
          "cpu", new Quantity(Math.max(1, launch.isolation().nanoCpus() / 1_000_000) + "m"));
    }
    if (launch.isolation().memoryBytes() != null) {
      resources.put("memory", new Quantity(String.valueOf(launch.isolation().memoryBytes())));
    }
    long[] user = user(launch.isolation().user());
    List<EnvVar> env = new ArrayList<>();
    launch.env().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> env.add(new EnvVar(e.getKey(), e.getValue(), null)));
    var container =
        new ContainerBuilder()
            .withName("step")
            .withImage(launch.image())
            .withImagePullPolicy("IfNotPresent")
            .withCommand(launch.command())
            .withWorkingDir("/project")
            .withEnv(env)
            .withNewResources()
            .withRequests(resources)
            .withLimits(resources)
            .endResources()
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withPrivileged(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .withVolumeMounts(
                new VolumeMountBuilder()
                    .withName("work")
                    .withMountPath("/project")
                    .withSubPath(subPath(launch.workspace().project()))
                    .build(),
                new VolumeMountBuilder()
                    .withName("work")
                    .withMountPath("/gridrun")
                    .withSubPath(subPath(launch.workspace().gridrun()))
                    .build(),
                new VolumeMountBuilder().withName("data").withMountPath("/data").build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build())
            .build();
    var spec =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName(launch))
            .withNamespace(settings.namespace())
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(user[0])
            .withRunAsGroup(user[1])
            .withFsGroup(user[1])
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(container)
            .addNewVolume()
            .withName("work")
            .withNewPersistentVolumeClaim(settings.workClaim(), false)
            .endVolume()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim(settings.dataClaim(), false)
            .endVolume()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume();
    if (launch.timeLimit() != null) {
      spec.withActiveDeadlineSeconds(Math.max(1, (launch.timeLimit().toMillis() + 999) / 1000));
    }
    return spec.endSpec().build();
  }

  /** The step's directory as a sub-path of the work claim. */
  private String subPath(Path hostPath) {
    Path mount = settings.workMount().toAbsolutePath().normalize();
    Path path = hostPath.toAbsolutePath().normalize();
    if (!path.startsWith(mount) || path.equals(mount)) {
      throw new IllegalStateException(
          path + " is not below " + mount + ", where the runner mounts the work claim");
    }
    return mount.relativize(path).toString().replace(java.io.File.separatorChar, '/');
  }

  /** uid and gid: the environment's numeric user, else the configured default (never root). */
  private long[] user(String user) {
    if (user != null) {
      var m = NUMERIC_UID.matcher(user);
      if (m.matches() && Long.parseLong(m.group(1)) != 0) {
        long uid = Long.parseLong(m.group(1));
        return new long[] {uid, m.group(2) != null ? Long.parseLong(m.group(2)) : uid};
      }
    }
    return new long[] {settings.defaultUid(), settings.defaultUid()};
  }

  /** {@code gridrun-<run's 24-hex digest of job, run, attempt, step>}: unique, DNS-safe. */
  static String podName(StepLaunch launch) {
    String identity =
        launch.labels().get(StepLaunch.LABEL_RUN)
            + "/"
            + launch.labels().get(StepLaunch.LABEL_ATTEMPT)
            + "/"
            + launch.labels().get(StepLaunch.LABEL_STEP)
            + "/"
            + System.nanoTime();
    return "gridrun-step-" + digest(identity).substring(0, 24);
  }

  /** A label value as Kubernetes accepts it (63 characters at most, alphanumeric ends). */
  static String labelValue(String value) {
    if (value == null) {
      return "";
    }
    if (value.length() <= 63 && LABEL_VALUE.matcher(value).matches()) {
      return value;
    }
    String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "-");
    String head =
        cleaned.substring(0, Math.min(50, cleaned.length())).replaceAll("^[^A-Za-z0-9]+", "");
    return (head.isEmpty() ? "x" : head) + "-" + digest(value).substring(0, 12);
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Removes step Pods this runner's Pod left from an earlier life (another runner process) and Pods
   * of runner Pods that no longer exist; returns how many.
   */
  public int removeLeftovers(String runnerId) {
    int removed = 0;
    for (Pod pod : stepPods()) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      String runnerPod = labels.get(LABEL_RUNNER_POD);
      boolean earlierLife =
          labelValue(settings.runnerPod()).equals(runnerPod)
              && !labelValue(runnerId).equals(labels.get(StepLaunch.LABEL_RUNNER));
      if (earlierLife || runnerGone(runnerPod)) {
        removed += delete(pod.getMetadata().getName()) ? 1 : 0;
      }
    }
    return removed;
  }

  /** Removes the step Pods of runner Pods that no longer exist; returns how many. */
  public int removeOrphans() {
    int removed = 0;
    for (Pod pod : stepPods()) {
      if (runnerGone(pod.getMetadata().getLabels().get(LABEL_RUNNER_POD))) {
        removed += delete(pod.getMetadata().getName()) ? 1 : 0;
      }
    }
    return removed;
  }

  private List<Pod> stepPods() {
    return client
        .pods()
        .inNamespace(settings.namespace())
        .withLabel(LABEL_RUNNER_POD)
        .list()
        .getItems();
  }

  private boolean runnerGone(String runnerPod) {
    return runnerPod != null
        && !runnerPod.equals(labelValue(settings.runnerPod()))
        && client.pods().inNamespace(settings.namespace()).withName(runnerPod).get() == null;
  }

  private boolean delete(String pod) {
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

  /** A step's Pod, watched by polling its status. */
  private final class PodHandle implements StepHandle {
    private final String name;
    private final OutputStream output;
    private volatile boolean killed;

    PodHandle(String name, OutputStream output) {
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
              ("gridrun: the step's output could not be read from its Pod: "
                      + e.getMessage()
                      + "\n")
                  .getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // the log is gone too
        }
      }
    }

    @Override
    public void kill() {
      killed = true;
      delete(name);
    }

    @Override
    public void close() {
      delete(name);
    }
  }
}

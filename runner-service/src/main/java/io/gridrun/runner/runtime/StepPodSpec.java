package io.gridrun.runner.runtime;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Pod of a step ({@link KubernetesRuntime}): {@code restartPolicy: Never}, the pinned image,
 * the step's CPU and memory as requests and limits, the run's remaining time as {@code
 * activeDeadlineSeconds}, no service-account token, non-root, no privilege escalation, all
 * capabilities dropped, a read-only root file system with an empty {@code /tmp}; the working copy
 * and the step's {@code /gridrun} directory as sub-paths of the work claim, {@code /data} from the
 * data claim; the runner's labels.
 */
final class StepPodSpec {

  private static final Pattern NUMERIC_UID = Pattern.compile("(\\d+)(?::(\\d+))?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");

  private final KubernetesRuntime.Settings settings;
  private final java.util.function.Function<StepLaunch, String> manifests;

  /**
   * @param manifests the snapshot manifest of a step's run, for the init container that fetches the
   *     working copy
   */
  StepPodSpec(
      KubernetesRuntime.Settings settings,
      java.util.function.Function<StepLaunch, String> manifests) {
    this.settings = settings;
    this.manifests = manifests;
  }

  private boolean fetched() {
    return settings.fetch() != null;
  }

  /** The Pod of a step, as it is created. */
  Pod podFor(StepLaunch launch) {
    Map<String, String> labels = new LinkedHashMap<>();
    launch.labels().forEach((k, v) -> labels.put(k, labelValue(v)));
    labels.put(KubernetesRuntime.LABEL_RUNNER_POD, labelValue(settings.runnerPod()));
    labels.put(KubernetesRuntime.LABEL_NETWORK, launch.isolation().network() ? "allowed" : "none");
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
                fetched()
                    ? new VolumeMountBuilder().withName("project").withMountPath("/project").build()
                    : new VolumeMountBuilder()
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
    if (fetched()) {
      spec.addNewVolume()
          .withName("project")
          .withNewEmptyDir()
          .endEmptyDir()
          .endVolume()
          .withInitContainers(fetcher(launch, user));
    }
    if (launch.timeLimit() != null) {
      spec.withActiveDeadlineSeconds(Math.max(1, (launch.timeLimit().toMillis() + 999) / 1000));
    }
    return spec.endSpec().build();
  }

  /**
   * The init container that fetches the run's working copy from the object store into the Pod's
   * {@code project} volume, as the step's user, as hardened as the step.
   */
  private io.fabric8.kubernetes.api.model.Container fetcher(StepLaunch launch, long[] user) {
    String manifest = manifests.apply(launch);
    if (manifest == null) {
      throw new IllegalStateException(
          "the run's request is not recorded next to " + launch.workspace().project());
    }
    return new ContainerBuilder()
        .withName("working-copy")
        .withImage(settings.fetch().image())
        .withImagePullPolicy("IfNotPresent")
        .withCommand(
            "java",
            "-cp",
            "/opt/gridrun/service.jar",
            "-Dloader.main=io.gridrun.runner.storage.FetchWorkingCopy",
            "org.springframework.boot.loader.launch.PropertiesLauncher")
        .withEnv(
            new EnvVar("GRIDRUN_MANIFEST", manifest, null),
            new EnvVar("GRIDRUN_TARGET", "/project", null),
            new EnvVar("HOME", "/tmp", null))
        .addNewEnvFrom()
        .withNewSecretRef()
        .withName(settings.fetch().secret())
        .endSecretRef()
        .endEnvFrom()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsUser(user[0])
        .withRunAsGroup(user[1])
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .withVolumeMounts(
            new VolumeMountBuilder().withName("project").withMountPath("/project").build(),
            new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build())
        .build();
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
}

package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes runtime against fabric8's mock API server in CRUD mode: Pod specs are asserted
 * field by field, and the test drives the Pod through the states a kubelet would.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesRuntimeTest {

  private static final String NS = "gridrun";
  private static final Path WORK = Path.of("/var/lib/gridrun/work");

  KubernetesMockServer server;
  KubernetesClient client;

  private KubernetesRuntime runtime(String runnerPod) {
    return new KubernetesRuntime(
        client,
        new KubernetesRuntime.Settings(
            NS, "gridrun-work", WORK, "gridrun-data", runnerPod, 1000, Duration.ofMillis(50)));
  }

  private static StepLaunch launch(String runner, StepIsolation isolation, Duration limit) {
    Path run = WORK.resolve("j-1-r0000003");
    return new StepLaunch(
            "registry.example/train@sha256:" + "a".repeat(64),
            List.of("sh", "/project/train.sh"),
            Map.of("GRIDRUN_RUN_ID", "j-1-r0000003", "LR", "0.1"),
            new StepWorkspace(
                run.resolve("project"), Path.of("/data"), run.resolve("gridrun/train")),
            Map.of(
                StepLaunch.LABEL_JOB, "j-1",
                StepLaunch.LABEL_RUN, "j-1-r0000003",
                StepLaunch.LABEL_ATTEMPT, "2",
                StepLaunch.LABEL_STEP, "train",
                StepLaunch.LABEL_RUNNER, runner),
            isolation)
        .withTimeLimit(limit);
  }

  private Pod onlyPod() {
    List<Pod> pods =
        client.pods().inNamespace(NS).withLabel(StepLaunch.LABEL_STEP).list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  @Test
  void aStepBecomesAHardenedPodWithItsImageLimitsDeadlineAndWorkingCopy() throws Exception {
    KubernetesRuntime runtime = runtime("runner-0");
    runtime.start(
        launch(
            "runner-0-42",
            new StepIsolation(1_500_000_000L, 512L * 1024 * 1024, false, "1234:2345"),
            Duration.ofMillis(90_500)),
        new ByteArrayOutputStream());

    Pod pod = onlyPod();
    assertThat(pod.getMetadata().getName()).matches("gridrun-step-[0-9a-f]{24}");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("gridrun.job", "j-1")
        .containsEntry("gridrun.run", "j-1-r0000003")
        .containsEntry("gridrun.attempt", "2")
        .containsEntry("gridrun.step", "train")
        .containsEntry("gridrun.runner", "runner-0-42")
        .containsEntry("gridrun.runner-pod", "runner-0")
        .containsEntry("gridrun.network", "none");
    var spec = pod.getSpec();
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getEnableServiceLinks()).isFalse();
    assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(91L);
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(1234L);
    assertThat(spec.getSecurityContext().getRunAsGroup()).isEqualTo(2345L);
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(spec.getContainers()).hasSize(1);
    Container step = spec.getContainers().get(0);
    assertThat(step.getImage()).isEqualTo("registry.example/train@sha256:" + "a".repeat(64));
    assertThat(step.getCommand()).containsExactly("sh", "/project/train.sh");
    assertThat(step.getWorkingDir()).isEqualTo("/project");
    assertThat(
            step.getEnv().stream().collect(Collectors.toMap(e -> e.getName(), e -> e.getValue())))
        .isEqualTo(Map.of("GRIDRUN_RUN_ID", "j-1-r0000003", "LR", "0.1"));
    Map<String, Quantity> expected =
        Map.of("cpu", new Quantity("1500m"), "memory", new Quantity(String.valueOf(512L << 20)));
    assertThat(step.getResources().getRequests()).isEqualTo(expected);
    assertThat(step.getResources().getLimits()).isEqualTo(expected);
    var security = step.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(step.getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath, VolumeMount::getSubPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("work", "/project", "j-1-r0000003/project"),
            org.assertj.core.groups.Tuple.tuple("work", "/gridrun", "j-1-r0000003/gridrun/train"),
            org.assertj.core.groups.Tuple.tuple("data", "/data", null),
            org.assertj.core.groups.Tuple.tuple("tmp", "/tmp", null));
    assertThat(spec.getVolumes())
        .extracting(
            v -> v.getName(),
            v ->
                v.getPersistentVolumeClaim() == null
                    ? null
                    : v.getPersistentVolumeClaim().getClaimName())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("work", "gridrun-work"),
            org.assertj.core.groups.Tuple.tuple("data", "gridrun-data"),
            org.assertj.core.groups.Tuple.tuple("tmp", null));
  }

  @Test
  void aStepWithoutANumericUserRunsAsTheDefaultUserAndWithoutDeadlineOrLimits() throws Exception {
    runtime("runner-0")
        .start(
            launch("r", new StepIsolation(null, null, true, "root"), null),
            new ByteArrayOutputStream());

    Pod pod = onlyPod();
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSpec().getActiveDeadlineSeconds()).isNull();
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits()).isEmpty();
    assertThat(pod.getMetadata().getLabels()).containsEntry("gridrun.network", "allowed");
  }

  @Test
  void thePodsEndIsTheStepsExitAndItsLogIsReadFromThePod() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    StepHandle handle = runtime("runner-0").start(launch("r", StepIsolation.DEFAULT, null), output);
    String name = onlyPod().getMetadata().getName();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + NS + "/pods/" + name + "/log?pretty=false")
        .andReturn(200, "epoch 1\nloss 0.3\n")
        .always();
    // the live follow while it runs (see KubernetesFetchAndLiveLogTest), as a kubelet answers it
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + NS + "/pods/" + name + "/log?pretty=false&follow=true")
        .andReturn(200, "epoch 1\nloss 0.3\n")
        .always();
    CompletableFuture<StepExit> exit = waitInBackground(handle);

    setStatus(name, s -> s.withPhase("Running"));
    Thread.sleep(200);
    assertThat(exit).isNotDone();
    setStatus(name, s -> s.withPhase("Failed").withContainerStatuses(terminated(3, "Error")));

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(new StepExit(3, false));
    assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo("epoch 1\nloss 0.3\n");
    handle.close();
    assertThat(client.pods().inNamespace(NS).withName(name).get()).isNull();
  }

  @Test
  void anOutOfMemoryKillAndAPassedDeadlineAreReportedAsSuch() throws Exception {
    KubernetesRuntime runtime = runtime("runner-0");
    StepHandle oom =
        runtime.start(launch("r", StepIsolation.DEFAULT, null), new ByteArrayOutputStream());
    String name = onlyPod().getMetadata().getName();
    setStatus(name, s -> s.withPhase("Failed").withContainerStatuses(terminated(137, "OOMKilled")));
    assertThat(oom.waitFor()).isEqualTo(new StepExit(137, true));
    oom.close();

    StepHandle late =
        runtime.start(
            launch("r", StepIsolation.DEFAULT, Duration.ofSeconds(5)), new ByteArrayOutputStream());
    String lateName = onlyPod().getMetadata().getName();
    setStatus(lateName, s -> s.withPhase("Failed").withReason("DeadlineExceeded"));
    assertThat(late.waitFor()).isEqualTo(new StepExit(137, false));
    late.close();
  }

  @Test
  void cancellingDeletesThePod() throws Exception {
    StepHandle handle =
        runtime("runner-0")
            .start(launch("r", StepIsolation.DEFAULT, null), new ByteArrayOutputStream());
    String name = onlyPod().getMetadata().getName();
    setStatus(name, s -> s.withPhase("Running"));
    CompletableFuture<StepExit> exit = waitInBackground(handle);

    handle.kill();

    assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(137);
    assertThat(client.pods().inNamespace(NS).withName(name).get()).isNull();
  }

  @Test
  void podsOfRunnersThatAreGoneAreFoundByLabelAndRemoved() throws Exception {
    // runner Pods: runner-0 (this one) and runner-1 exist; runner-2 is gone
    for (String runner : List.of("runner-0", "runner-1")) {
      client
          .pods()
          .inNamespace(NS)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(runner)
                  .withLabels(Map.of("app", "runner-service"))
                  .endMetadata()
                  .build())
          .create();
    }
    runtime("runner-1")
        .start(launch("runner-1-7", StepIsolation.DEFAULT, null), new ByteArrayOutputStream());
    runtime("runner-2")
        .start(launch("runner-2-8", StepIsolation.DEFAULT, null), new ByteArrayOutputStream());
    runtime("runner-0")
        .start(launch("runner-0-1", StepIsolation.DEFAULT, null), new ByteArrayOutputStream());
    runtime("runner-0")
        .start(launch("runner-0-2", StepIsolation.DEFAULT, null), new ByteArrayOutputStream());

    KubernetesRuntime self = runtime("runner-0");
    assertThat(self.removeOrphans()).isEqualTo(1); // runner-2's
    assertThat(runnersOfStepPods())
        .containsExactlyInAnyOrder("runner-1-7", "runner-0-1", "runner-0-2");

    // runner-0 restarted as process 2: its earlier life's Pods go, its own stay
    assertThat(self.removeLeftovers("runner-0-2")).isEqualTo(1);
    assertThat(runnersOfStepPods()).containsExactlyInAnyOrder("runner-1-7", "runner-0-2");
  }

  private List<String> runnersOfStepPods() {
    return client.pods().inNamespace(NS).withLabel(StepLaunch.LABEL_STEP).list().getItems().stream()
        .map(p -> p.getMetadata().getLabels().get(StepLaunch.LABEL_RUNNER))
        .toList();
  }

  @Test
  void labelValuesAreMadeValidForKubernetes() {
    String longId = "runner-service-7d9f8c6b5-" + "x".repeat(60) + "-12345";
    String value = KubernetesRuntime.labelValue(longId);
    assertThat(value)
        .hasSizeLessThanOrEqualTo(63)
        .matches("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    assertThat(KubernetesRuntime.labelValue(longId)).isEqualTo(value);
    assertThat(KubernetesRuntime.labelValue("runner-0-42")).isEqualTo("runner-0-42");
  }

  private static io.fabric8.kubernetes.api.model.ContainerStatus terminated(
      int code, String reason) {
    return new ContainerStatusBuilder()
        .withName("step")
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .withReason(reason)
        .endTerminated()
        .endState()
        .build();
  }

  private void setStatus(String name, UnaryOperator<PodStatusBuilder> status) {
    client
        .pods()
        .inNamespace(NS)
        .withName(name)
        .editStatus(
            p ->
                new PodBuilder(p).withStatus(status.apply(new PodStatusBuilder()).build()).build());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.pods().inNamespace(NS).withName(name).get().getStatus() != null);
  }

  private static CompletableFuture<StepExit> waitInBackground(StepHandle handle) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return handle.waitFor();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}

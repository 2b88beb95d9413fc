package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gridrun.common.event.EventCodec;
import io.gridrun.runner.TestRuns;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes runtime's working copy fetched by an init container from the object store, and the
 * step's output followed live from its Pod: against fabric8's mock API server in CRUD mode, Pod
 * specs asserted field by field, the Pod's states driven by the test.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesFetchAndLiveLogTest {

  private static final String NS = "gridrun";

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path work;

  private KubernetesRuntime runtime(KubernetesRuntime.WorkingCopyFetch fetch) {
    return new KubernetesRuntime(
        client,
        new KubernetesRuntime.Settings(
            NS,
            "gridrun-work",
            work,
            "gridrun-data",
            "runner-0",
            1000,
            Duration.ofMillis(50),
            fetch));
  }

  private StepLaunch launch(String manifest) throws Exception {
    Path run = work.resolve("j-1-r0000003");
    Files.createDirectories(run);
    Files.writeString(
        run.resolve("request.json"),
        EventCodec.encode(TestRuns.run(manifest, TestRuns.pipeline(TestRuns.step("train")))));
    return new StepLaunch(
        "registry.example/train:1",
        List.of("sh", "/project/train.sh"),
        Map.of("LR", "0.1"),
        new StepWorkspace(run.resolve("project"), Path.of("/data"), run.resolve("gridrun/train")),
        Map.of(
            StepLaunch.LABEL_JOB, "j-1",
            StepLaunch.LABEL_RUN, "j-1-r0000003",
            StepLaunch.LABEL_ATTEMPT, "1",
            StepLaunch.LABEL_STEP, "train",
            StepLaunch.LABEL_RUNNER, "runner-0-1"),
        new StepIsolation(null, null, false, "1234:2345"));
  }

  private Pod onlyPod() {
    List<Pod> pods =
        client.pods().inNamespace(NS).withLabel(StepLaunch.LABEL_STEP).list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  @Test
  void theWorkingCopyIsFetchedFromTheObjectStoreByAnInitContainerWhenConfigured() throws Exception {
    String manifest = "c".repeat(64);
    runtime(new KubernetesRuntime.WorkingCopyFetch("gridrun/runner-service:7", "store-creds"))
        .start(launch(manifest), new ByteArrayOutputStream());

    var spec = onlyPod().getSpec();
    assertThat(spec.getInitContainers()).hasSize(1);
    Container init = spec.getInitContainers().get(0);
    assertThat(init.getName()).isEqualTo("working-copy");
    assertThat(init.getImage()).isEqualTo("gridrun/runner-service:7");
    assertThat(init.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(init.getCommand())
        .containsExactly(
            "java",
            "-cp",
            "/opt/gridrun/service.jar",
            "-Dloader.main=io.gridrun.runner.storage.FetchWorkingCopy",
            "org.springframework.boot.loader.launch.PropertiesLauncher");
    assertThat(init.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue)))
        .isEqualTo(
            Map.of("GRIDRUN_MANIFEST", manifest, "GRIDRUN_TARGET", "/project", "HOME", "/tmp"));
    assertThat(init.getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("store-creds"));
    var security = init.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(1234L);
    assertThat(security.getRunAsGroup()).isEqualTo(2345L);
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(init.getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath, VolumeMount::getSubPath)
        .containsExactly(tuple("project", "/project", null), tuple("tmp", "/tmp", null));
    // the step sees the fetched copy; its /gridrun directory stays on the work claim
    assertThat(spec.getContainers().get(0).getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath, VolumeMount::getSubPath)
        .containsExactly(
            tuple("project", "/project", null),
            tuple("work", "/gridrun", "j-1-r0000003/gridrun/train"),
            tuple("data", "/data", null),
            tuple("tmp", "/tmp", null));
    assertThat(spec.getVolumes())
        .extracting(
            v -> v.getName(),
            v ->
                v.getPersistentVolumeClaim() == null
                    ? null
                    : v.getPersistentVolumeClaim().getClaimName(),
            v -> v.getEmptyDir() != null)
        .containsExactly(
            tuple("work", "gridrun-work", false),
            tuple("data", "gridrun-data", false),
            tuple("tmp", null, true),
            tuple("project", null, true));
  }

  @Test
  void withoutAFetchTheWorkingCopyIsASubPathOfTheWorkClaimAndThereIsNoInitContainer()
      throws Exception {
    runtime(null).start(launch("d".repeat(64)), new ByteArrayOutputStream());

    var spec = onlyPod().getSpec();
    assertThat(spec.getInitContainers()).isEmpty();
    assertThat(spec.getContainers().get(0).getVolumeMounts().get(0).getSubPath())
        .isEqualTo("j-1-r0000003/project");
  }

  @Test
  void theStepsOutputIsFollowedLiveWhileItsPodRunsAndCompletedOnceItEnded() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    StepHandle handle = runtime(null).start(launch("e".repeat(64)), output);
    String name = onlyPod().getMetadata().getName();
    String logPath = "/api/v1/namespaces/" + NS + "/pods/" + name + "/log?pretty=false";
    server.expect().get().withPath(logPath + "&follow=true").andReturn(200, "epoch 1\n").always();
    server.expect().get().withPath(logPath).andReturn(200, "epoch 1\nloss 0.3\n").always();
    CompletableFuture<StepExit> exit =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return handle.waitFor();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    setStatus(name, s -> s.withPhase("Running"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.toString(StandardCharsets.UTF_8).equals("epoch 1\n"));
    assertThat(exit).as("read while the Pod still runs").isNotDone();

    setStatus(
        name,
        s ->
            s.withPhase("Succeeded")
                .withContainerStatuses(
                    new ContainerStatusBuilder()
                        .withName("step")
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(0)
                        .endTerminated()
                        .endState()
                        .build()));

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(new StepExit(0, false));
    assertThat(output.toString(StandardCharsets.UTF_8))
        .as("the rest appended once, nothing twice")
        .isEqualTo("epoch 1\nloss 0.3\n");
    handle.close();
  }

  private void setStatus(String name, UnaryOperator<PodStatusBuilder> status) {
    client
        .pods()
        .inNamespace(NS)
        .withName(name)
        .editStatus(
            p ->
                new PodBuilder(p).withStatus(status.apply(new PodStatusBuilder()).build()).build());
  }
}

package io.gridrun.runner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every manifest under deploy/kubernetes parses as Kubernetes objects, and says what it should. */
class KubernetesManifestsTest {

  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  private static final List<HasMetadata> objects = new ArrayList<>();

  @BeforeAll
  static void parseEveryManifest() throws Exception {
    List<Path> files;
    try (Stream<Path> listed = Files.list(DIR)) {
      files = listed.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    KubernetesSerialization serialization = new KubernetesSerialization();
    try (KubernetesClient offline =
        new KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:1")
                    .build())
            .build()) {
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file)) {
          List<HasMetadata> items = offline.load(in).items();
          assertThat(items).as(file.toString()).isNotEmpty();
          for (HasMetadata item : items) {
            assertThat(item.getMetadata().getName()).as(file + ": a name").isNotBlank();
            // and serialises back
            assertThat(serialization.asYaml(item)).isNotBlank();
          }
          objects.addAll(items);
        }
      }
    }
  }

  private static <T extends HasMetadata> T one(Class<T> kind, String name) {
    return objects.stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  @Test
  void everyNamespacedObjectIsInTheGridrunNamespace() {
    assertThat(objects)
        .filteredOn(o -> !o.getKind().equals("Namespace"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("gridrun"));
  }

  @Test
  void theFourServicesAreDeployedHardened() {
    for (String name :
        List.of("job-service", "snapshot-service", "runner-service", "api-gateway")) {
      Deployment deployment = one(Deployment.class, name);
      var pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
      Container container = pod.getContainers().get(0);
      assertThat(container.getImage()).isEqualTo("gridrun/" + name + ":0.1.0");
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(pod.getAutomountServiceAccountToken())
          .as(name + ": a token only for the runners")
          .isEqualTo(name.equals("runner-service"));
    }
  }

  @Test
  void runnersExecuteStepsAsPodsWithAnAccountLimitedToPodsInTheirNamespace() {
    var pod = one(Deployment.class, "runner-service").getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("gridrun-runner");
    Map<String, String> env =
        pod.getContainers().get(0).getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry("GRIDRUN_RUNNER_EXECUTOR", "kubernetes")
        .containsEntry("GRIDRUN_KUBERNETES_WORK_CLAIM", "gridrun-work")
        .containsEntry("GRIDRUN_KUBERNETES_DATA_CLAIM", "gridrun-data");
    assertThat(env.get("GRIDRUN_RUNNER_WORK_DIR"))
        .startsWith(env.get("GRIDRUN_KUBERNETES_WORK_MOUNT"));

    Role role = one(Role.class, "gridrun-runner");
    assertThat(role.getRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("");
              assertThat(rule.getResources()).isSubsetOf("pods", "pods/log");
              assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
            });
    RoleBinding binding = one(RoleBinding.class, "gridrun-runner");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("gridrun-runner");
              assertThat(s.getNamespace()).isEqualTo("gridrun");
            });
    assertThat(objects).noneMatch(o -> o.getKind().equals("ClusterRole"));
  }

  @Test
  void dataAndWorkingCopiesAreReadWriteManyClaimsAndNothingIsPublishedButTheGateway() {
    for (String claim : List.of("gridrun-data", "gridrun-work")) {
      assertThat(one(PersistentVolumeClaim.class, claim).getSpec().getAccessModes())
          .containsExactly("ReadWriteMany");
    }
    assertThat(objects)
        .filteredOn(Service.class::isInstance)
        .map(o -> ((Service) o).getSpec().getType())
        .containsOnly("ClusterIP");
    assertThat(objects)
        .filteredOn(o -> o.getKind().equals("Ingress"))
        .isEmpty(); // exposing the gateway is the operator's choice (docs/deploy.md)
  }
}

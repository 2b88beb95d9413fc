package io.gridrun.snapshot.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.platform.web.BeanChecks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The constraints of an environment registration, without HTTP. */
class EnvironmentRegistrationTest {

  private static List<String> problems(EnvironmentRegistration registration) {
    return BeanChecks.problems(registration, EnvironmentRegistration.FIELDS);
  }

  @Test
  void anImageOrABuildIsRequiredButNotBoth() {
    assertThat(problems(new EnvironmentRegistration("busybox", null, null, null, null, null)))
        .isEmpty();
    assertThat(
            problems(new EnvironmentRegistration(null, "debian", "apt-get -y x", null, null, null)))
        .isEmpty();
    assertThat(problems(new EnvironmentRegistration(" ", null, null, null, null, null)))
        .containsExactly(EnvironmentRegistration.IMAGE_REQUIRED);
    assertThat(problems(new EnvironmentRegistration("busybox", null, "echo", null, null, null)))
        .containsExactly(
            "give either image (an existing image) or base and setup (a build), not both",
            EnvironmentRegistration.BASE_REQUIRED);
  }

  @Test
  void imagesAndBasesAreImageReferences() {
    for (String image :
        List.of(
            "busybox",
            "x",
            "gridrun/busybox:test",
            "localhost:5000/team/model_v2:1.0-rc",
            "gridrun/env-digits:1",
            "debian@sha256:" + "a".repeat(64))) {
      assertThat(problems(new EnvironmentRegistration(image, null, null, null, null, null)))
          .as(image)
          .isEmpty();
    }
    for (String image :
        List.of(
            "file:///etc/passwd",
            "../../etc/passwd",
            "http://169.254.169.254/latest",
            "Busybox",
            "-5s",
            "a b",
            "x".repeat(256))) {
      assertThat(problems(new EnvironmentRegistration(image, null, null, null, null, null)))
          .as(image)
          .containsExactly(
              "image is not an image reference: use [registry/]name[:tag][@digest] in lower"
                  + " case, e.g. gridrun/busybox:test");
    }
    assertThat(problems(new EnvironmentRegistration(null, "file:///x", "echo", null, null, null)))
        .containsExactly(
            "base is not an image reference: use [registry/]name[:tag][@digest] in lower case,"
                + " e.g. gridrun/busybox:test");
  }

  @Test
  void envValuesAreStringsAndSecretNamesAreVariableNames() {
    assertThat(
            problems(
                new EnvironmentRegistration(
                    "busybox", null, null, Map.of("N", 1), null, Map.of("OK", "v", "not ok", "v"))))
        .containsExactly(
            "env.N must be a string",
            "secrets variable name 'not ok' is not a valid variable name");
  }
}

package io.gridrun.snapshot.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.snapshot.image.DockerImageResolver;
import io.gridrun.snapshot.image.ImageResolver;
import org.junit.jupiter.api.Test;

/** Against the real Docker engine; fails (never skips) without one. */
class DockerImageResolverTest {

  private final DockerImageResolver resolver =
      new DockerImageResolver("unix:///var/run/docker.sock");

  @Test
  void pinsAReferenceToTheIdOfTheImageItPointsTo() {
    ImageResolver.Resolution resolution = resolver.resolve("gridrun/busybox:test");

    assertThat(resolution.exists()).isTrue();
    assertThat(resolution.imageId()).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void reportsAnImageThatDoesNotExist() {
    assertThat(resolver.resolve("gridrun/does-not-exist:1").exists()).isFalse();
  }

  @Test
  void saysWhichEngineDidNotAnswerWhenItCannotBeReached() {
    DockerImageResolver nowhere = new DockerImageResolver("unix:///nonexistent/docker.sock");

    assertThatThrownBy(() -> nowhere.resolve("gridrun/busybox:test"))
        .isInstanceOf(ImageResolver.Unavailable.class)
        .hasMessageContaining("unix:///nonexistent/docker.sock")
        .hasMessageContaining("gridrun/busybox:test");
  }

  @Test
  void aReferenceNoImageCanHaveIsReportedAsMissing() {
    assertThat(resolver.resolve("Not A Reference!").exists()).isFalse();
  }
}

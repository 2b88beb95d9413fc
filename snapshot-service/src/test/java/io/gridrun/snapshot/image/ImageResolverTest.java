package io.gridrun.snapshot.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageResolverTest {

  @Test
  void withoutImageResolutionEveryReferenceIsKeptUnpinned() {
    ImageResolver.Resolution resolution = ImageResolver.NONE.resolve("gridrun/busybox:test");

    assertThat(resolution.exists()).isTrue();
    assertThat(resolution.imageId()).isNull();
  }
}

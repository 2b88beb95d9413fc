package io.gridrun.common.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizeTextTest {

  @Test
  void readsBinaryUnitsAsDockerDoes() {
    assertThat(ByteSizeText.parse("1024")).hasValue(1024);
    assertThat(ByteSizeText.parse("100b")).hasValue(100);
    assertThat(ByteSizeText.parse("4k")).hasValue(4096);
    assertThat(ByteSizeText.parse("512m")).hasValue(512L << 20);
    assertThat(ByteSizeText.parse("512MB")).hasValue(512L << 20);
    assertThat(ByteSizeText.parse("512Mi")).hasValue(512L << 20);
    assertThat(ByteSizeText.parse("2g")).hasValue(2L << 30);
    assertThat(ByteSizeText.parse("2 GiB")).hasValue(2L << 30);
  }

  @Test
  void refusesWhatIsNotASize() {
    assertThat(ByteSizeText.parse(null)).isEmpty();
    assertThat(ByteSizeText.parse("lots")).isEmpty();
    assertThat(ByteSizeText.parse("1.5g")).isEmpty();
    assertThat(ByteSizeText.parse("-1m")).isEmpty();
    assertThat(ByteSizeText.parse("1t")).isEmpty();
    assertThat(ByteSizeText.parse("1bb")).isEmpty();
    assertThat(ByteSizeText.parse("99999999999999999g")).isEmpty();
  }
}

package io.gridrun.common.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void readsANumberWithAUnit() {
    assertThat(DurationText.parse("500ms")).hasValue(Duration.ofMillis(500));
    assertThat(DurationText.parse("10s")).hasValue(Duration.ofSeconds(10));
    assertThat(DurationText.parse("30m")).hasValue(Duration.ofMinutes(30));
    assertThat(DurationText.parse("1h")).hasValue(Duration.ofHours(1));
    assertThat(DurationText.parse("2d")).hasValue(Duration.ofDays(2));
    assertThat(DurationText.parse(" 2H ")).hasValue(Duration.ofHours(2));
  }

  @Test
  void addsUpSeveralParts() {
    assertThat(DurationText.parse("1h30m")).hasValue(Duration.ofMinutes(90));
    assertThat(DurationText.parse("1m500ms")).hasValue(Duration.ofMillis(60_500));
  }

  @Test
  void refusesWhatIsNotADuration() {
    assertThat(DurationText.parse(null)).isEmpty();
    assertThat(DurationText.parse("")).isEmpty();
    assertThat(DurationText.parse("abc")).isEmpty();
    assertThat(DurationText.parse("30")).isEmpty();
    assertThat(DurationText.parse("1.5h")).isEmpty();
    assertThat(DurationText.parse("-5s")).isEmpty();
    assertThat(DurationText.parse("5 s")).isEmpty();
    assertThat(DurationText.parse("5w")).isEmpty();
    assertThat(DurationText.parse("99999999999999999999999h")).isEmpty();
  }
}

package io.gridrun.job.domain.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A URL's value against stored values, as MongoDB's equality on the candidates it stands for. */
class ValueMatchTest {

  @Test
  void numbersMatchAcrossTheirTypesStringsExactlyBooleansByName() {
    assertThat(ValueMatch.matches(7, "7")).isTrue();
    assertThat(ValueMatch.matches(7L, "7.0")).isTrue();
    assertThat(ValueMatch.matches(7.0, "7")).isTrue();
    assertThat(ValueMatch.matches(0.1, "0.1")).isTrue();
    assertThat(ValueMatch.matches(0.1, "0.10")).isTrue();
    assertThat(ValueMatch.matches(0.01, "0.1")).isFalse();
    assertThat(ValueMatch.matches("0.1", "0.1")).isTrue();
    assertThat(ValueMatch.matches("0.10", "0.1")).isFalse();
    assertThat(ValueMatch.matches(true, "true")).isTrue();
    assertThat(ValueMatch.matches(true, "1")).isFalse();
    assertThat(ValueMatch.matches("true", "true")).isTrue();
    assertThat(ValueMatch.matches(List.of(1, 2), "2")).isTrue();
    assertThat(ValueMatch.matches(List.of(1, 2), "3")).isFalse();
    assertThat(ValueMatch.matches(Map.of("a", 1), "1")).isFalse();
    assertThat(ValueMatch.matches(7, "seven")).isFalse();
    assertThat(ValueMatch.matches(Double.NaN, "NaN")).isFalse();
  }

  @Test
  void valuesOrderAsMongoDbSortsThem() {
    List<Object> sorted =
        new java.util.ArrayList<>(List.of(true, "b", 3L, 2.5, "a", false, 1, Map.of("x", 1)));
    sorted.sort(ValueOrder.INSTANCE);
    assertThat(sorted).containsExactly(1, 2.5, 3L, "a", "b", Map.of("x", 1), false, true);
  }
}

package io.gridrun.gateway.job;

import io.gridrun.common.event.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Refuses parameter and env values larger than the limit, naming where they are. */
final class ValueSizes {

  private final int max;
  private final List<String> problems;

  ValueSizes(int max, List<String> problems) {
    this.max = max;
    this.problems = problems;
  }

  /**
   * Checks every leaf value (a string, number or boolean, or a list of them) under {@code where}.
   */
  void check(String where, Object value) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> check(where + "." + k, v));
      return;
    }
    if (value instanceof List<?> list && list.stream().anyMatch(v -> v instanceof Map)) {
      for (int i = 0; i < list.size(); i++) {
        check(where + "[" + i + "]", list.get(i));
      }
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        checkLeaf(where + "[" + i + "]", list.get(i));
      }
      return;
    }
    checkLeaf(where, value);
  }

  private void checkLeaf(String where, Object value) {
    if (value == null) {
      return;
    }
    int bytes =
        value instanceof String text
            ? text.getBytes(StandardCharsets.UTF_8).length
            : EventCodec.mapper().writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > max) {
      problems.add(
          where
              + " is "
              + bytes
              + " bytes, more than the limit of "
              + max
              + " bytes per value (gridrun.gateway.limits.max-parameter-bytes)");
    }
  }
}

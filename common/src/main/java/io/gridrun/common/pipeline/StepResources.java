package io.gridrun.common.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a step's container may use, as {@code "resources": {"cpus": 0.5, "memory": "512m"}} in a
 * pipeline file. Both optional; absent means no limit.
 *
 * @param cpus CPUs the step may use, fractions allowed
 * @param memory memory limit (no swap beyond it), a size like {@code 512m} or {@code 2g}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResources(Double cpus, String memory) {

  public static final StepResources UNLIMITED = new StepResources(null, null);

  /** Docker refuses a memory limit below 6 MiB. */
  public static final long LEAST_MEMORY = 6L << 20;

  public static final double MOST_CPUS = 1024;

  /** The memory limit in bytes, if any. */
  public OptionalLong memoryBytes() {
    return ByteSizeText.parse(memory);
  }

  /** The CPU limit in billionths of a CPU (Docker's NanoCPUs), if any. */
  public OptionalLong nanoCpus() {
    return cpus == null ? OptionalLong.empty() : OptionalLong.of(Math.round(cpus * 1e9));
  }

  List<String> problems(String where) {
    List<String> problems = new ArrayList<>();
    if (cpus != null && !(cpus > 0 && cpus <= MOST_CPUS)) {
      problems.add(where + ": resources.cpus must be more than 0 and at most 1024, not " + cpus);
    }
    if (memory != null) {
      OptionalLong bytes = memoryBytes();
      if (bytes.isEmpty()) {
        problems.add(
            where
                + ": resources.memory '"
                + memory
                + "' is not a size like "
                + ByteSizeText.EXAMPLES);
      } else if (bytes.getAsLong() < LEAST_MEMORY) {
        problems.add(
            where + ": resources.memory must be at least 6m (Docker's minimum), not " + memory);
      }
    }
    return problems;
  }
}

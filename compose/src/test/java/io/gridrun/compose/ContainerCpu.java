package io.gridrun.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the cluster's services from their processes' own counters: {@code utime + stime} of
 * each container's main process ({@code /proc/<pid>/stat}, the JVM with all its threads), read on
 * the host, in milliseconds (clock ticks of 1/100 s, Linux's {@code USER_HZ}).
 */
final class ContainerCpu {

  private static final double MILLIS_PER_TICK = 10.0;

  private ContainerCpu() {}

  /** CPU milliseconds the process has used so far; 0 when it is gone. */
  static double millis(long pid) throws IOException {
    Path stat = Path.of("/proc", String.valueOf(pid), "stat");
    if (!Files.exists(stat)) {
      return 0;
    }
    return parse(Files.readString(stat));
  }

  /** {@code utime + stime} of a {@code /proc/<pid>/stat} line, in milliseconds. */
  static double parse(String stat) {
    // the command name (field 2) is in parentheses and may hold spaces: count from after it
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
    long utime = Long.parseLong(fields[11]); // field 14
    long stime = Long.parseLong(fields[12]); // field 15
    return (utime + stime) * MILLIS_PER_TICK;
  }

  /** Per service: the CPU ms used between two readings (container → ms), summed over replicas. */
  static Map<String, Double> perService(
      Map<String, Double> before, Map<String, Double> after, Map<String, String> serviceOf) {
    Map<String, Double> used = new TreeMap<>();
    for (Map.Entry<String, Double> reading : after.entrySet()) {
      double spent = reading.getValue() - before.getOrDefault(reading.getKey(), 0.0);
      used.merge(serviceOf.get(reading.getKey()), spent, Double::sum);
    }
    return used;
  }

  /** A Markdown table of CPU ms per run per service. */
  static String table(Map<String, Double> used, int runs, String what) {
    StringBuilder out = new StringBuilder("| service | CPU ms | CPU ms per run |\n|---|---|---|\n");
    Map<String, Double> rows = new LinkedHashMap<>(used);
    for (Map.Entry<String, Double> row : rows.entrySet()) {
      out.append(
          String.format(
              "| %s | %,.0f | %,.1f |%n", row.getKey(), row.getValue(), row.getValue() / runs));
    }
    return what + "\n\n" + out;
  }
}

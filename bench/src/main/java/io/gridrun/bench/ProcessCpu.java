package io.gridrun.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process spent, from its own counters: {@code /proc/<pid>/stat} on Linux (user and
 * system time of the process, and apart from it that of its children it waited for, such as a
 * runner's step processes), or this JVM's {@code OperatingSystemMXBean} for the bench's own
 * process.
 */
final class ProcessCpu {

  /** Clock ticks per second of {@code /proc}'s times ({@code getconf CLK_TCK}; 100 on Linux). */
  static final long TICKS_PER_SECOND = 100;

  /**
   * @param ownMillis CPU time of the process itself
   * @param childrenMillis CPU time of its children it waited for (a runner's step processes)
   */
  record Sample(long ownMillis, long childrenMillis) {

    Sample minus(Sample earlier) {
      return new Sample(ownMillis - earlier.ownMillis, childrenMillis - earlier.childrenMillis);
    }
  }

  private ProcessCpu() {}

  /** The process's CPU time so far; zeros when {@code /proc} cannot tell (not Linux, gone). */
  static Sample of(long pid) {
    try {
      return parse(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return new Sample(0, 0);
    }
  }

  /** This JVM's CPU time (the bench and what it hosts: Kafka, MongoDB, gateway, snapshots). */
  static Sample self() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return new Sample(os.getProcessCpuTime() / 1_000_000, 0);
    }
    return of(ProcessHandle.current().pid());
  }

  /**
   * Fields 14–17 of {@code /proc/<pid>/stat} (utime, stime, cutime, cstime), counted after the
   * command name's closing parenthesis, since the name itself may hold spaces.
   */
  static Sample parse(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // fields[0] is field 3 (state), so field n is fields[n - 3]
    long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    long children = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    return new Sample(toMillis(own), toMillis(children));
  }

  private static long toMillis(long ticks) {
    return ticks * 1000 / TICKS_PER_SECOND;
  }
}

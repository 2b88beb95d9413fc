package io.gridrun.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a run of the harness spends its time: each suite marks the end of its phases (stack start,
 * warm-up, fill, window, baseline) and the time since the previous mark is printed on stderr as it
 * ends, then all of them at the end. Most of a quick run is unmeasured work (starting stacks,
 * filling jobs), and this says which.
 */
final class Phases {

  private static final List<String> LINES = new ArrayList<>();
  private static String suite = "";
  private static long last = System.nanoTime();

  private Phases() {}

  /** A suite starts: its first phase is timed from here. */
  static synchronized void begin(String name) {
    suite = name;
    last = System.nanoTime();
  }

  /** The phase {@code what} of the current suite ended now. */
  static synchronized void mark(String what) {
    long now = System.nanoTime();
    String line = String.format(Locale.ROOT, "%-14s %6.1f s  %s", suite, (now - last) / 1e9, what);
    last = now;
    LINES.add(line);
    System.err.println("bench phase: " + line);
  }

  /** Every phase so far, one a line. */
  static synchronized String summary() {
    return String.join("\n", LINES);
  }
}

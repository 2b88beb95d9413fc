package io.gridrun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** Writes the figures as a Markdown table with the date, machine and command. */
final class BenchReport {

  private BenchReport() {}

  /**
   * The table, then what could not be measured in this run and why ({@code notRun}).
   *
   * @param load how busy the machine was while the section ran ({@link #load}); null: not said
   */
  static String markdown(
      String title, List<Figure> figures, String command, List<String> notRun, String load) {
    return markdown(title, figures, command, notRun, load, List.of(), null);
  }

  /**
   * @param notes where the time went and what changed, under the table
   * @param took how long the section ran; null: not said
   */
  static String markdown(
      String title,
      List<Figure> figures,
      String command,
      List<String> notRun,
      String load,
      List<String> notes,
      java.time.Duration took) {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(title).append("\n\n");
    out.append("- date: ").append(LocalDate.now()).append('\n');
    out.append("- machine: ").append(machine()).append('\n');
    if (load != null) {
      out.append("- load: ").append(load).append('\n');
    }
    out.append("- command: `").append(command).append("`\n");
    if (took != null) {
      out.append("- section wall time: ").append(took.toSeconds()).append(" s\n");
    }
    out.append('\n');
    out.append("| figure | gridrun | baseline | baseline value | ratio |\n|---|---|---|---|---|\n");
    for (Figure f : figures) {
      out.append("| ")
          .append(f.name())
          .append(" | ")
          .append(format(f.value()))
          .append(' ')
          .append(f.unit())
          .append(" | ")
          .append(f.baselineName() == null ? "" : f.baselineName())
          .append(" | ")
          .append(f.baseline() == null ? "" : format(f.baseline()) + " " + f.unit())
          .append(" | ")
          .append(f.ratio())
          .append(" |\n");
    }
    if (!notes.isEmpty()) {
      out.append('\n');
      for (String note : notes) {
        out.append(note).append("\n\n");
      }
    }
    if (!notRun.isEmpty()) {
      out.append("\nCould not run here, so not measured:\n\n");
      for (String what : notRun) {
        out.append("- ").append(what).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * The line after which the report's hand-written part starts (analyses, earlier sessions'
   * measurements): a regeneration replaces the figures above it and keeps what follows it.
   */
  static final String KEPT_MARKER =
      "<!-- kept when the figures are regenerated: write analyses below this line -->";

  /**
   * Writes the sections, keeping the hand-written part of the file there is ({@link #KEPT_MARKER}).
   */
  static void write(Path file, String section) throws IOException {
    String header =
        "# Benchmarks\n\nProduced by `./mvnw -q -B install -DskipTests && ./mvnw -q -pl bench exec:java`"
            + " (see bench/). Each figure stands next to a baseline measured in the same run on the"
            + " same machine; ratios, not absolute numbers, are what carries over to other machines."
            + " The harness never fails because a figure is slow.\n\n";
    String kept = "";
    if (Files.exists(file)) {
      String before = Files.readString(file);
      int at = before.indexOf(KEPT_MARKER);
      if (at >= 0) {
        kept = "\n" + before.substring(at);
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, header + section + kept);
  }

  /** The 1-minute load average now; NaN where the system does not tell. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * The load averages before and after a section: other work on the machine (tests of a shared
   * machine, say) slows figures and baselines, not always alike; null where they are unknown.
   */
  static String load(double before, double after) {
    if (Double.isNaN(before) || Double.isNaN(after)) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "1-minute load average %.2f before, %.2f after, on %d cores",
        before,
        after,
        Runtime.getRuntime().availableProcessors());
  }

  static String machine() {
    String cpu = "unknown cpu";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
    } catch (IOException ignored) {
      // not Linux: the JVM's figures below still describe the machine
    }
    long memoryGiB = 0;
    try {
      memoryGiB =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
                  .filter(l -> l.startsWith("MemTotal"))
                  .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                  .findFirst()
                  .orElse(0)
              / (1024 * 1024);
    } catch (IOException ignored) {
      // as above
    }
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %d GiB, Java %s, %s",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memoryGiB,
        System.getProperty("java.version"),
        System.getProperty("os.name"));
  }

  static String format(double v) {
    if (v >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}

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

  static String markdown(String title, List<Figure> figures, String command) {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(title).append("\n\n");
    out.append("- date: ").append(LocalDate.now()).append('\n');
    out.append("- machine: ").append(machine()).append('\n');
    out.append("- command: `").append(command).append("`\n\n");
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
    return out.toString();
  }

  static void write(Path file, String section) throws IOException {
    String header =
        "# Benchmarks\n\nProduced by `./mvnw -q -B install -DskipTests && ./mvnw -q -pl bench exec:java`"
            + " (see bench/). Each figure stands next to a baseline measured in the same run on the"
            + " same machine; ratios, not absolute numbers, are what carries over to other machines."
            + " The harness never fails because a figure is slow.\n\n";
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, header + section);
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

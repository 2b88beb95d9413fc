package io.gridrun.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The example job of {@code ./gridrun demo}: registers the example environments, copies the example
 * projects into the projects root, submits the example job and follows it to its end.
 */
final class DemoJob {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final LocalStack stack;
  private final Path examples;
  private final PrintStream out;
  private final GridrunClient api;
  private final boolean inPlace;

  DemoJob(LocalStack stack, Path examples, PrintStream out) {
    this(stack, examples, out, false);
  }

  /**
   * @param inPlace true redraws the job's progress in place (on a terminal), false prints a line
   *     each time it changes
   */
  DemoJob(LocalStack stack, Path examples, PrintStream out, boolean inPlace) {
    this.stack = stack;
    this.examples = examples;
    this.out = out;
    this.inPlace = inPlace;
    this.api = stack.client();
  }

  /** Returns true when the job ended SUCCESS. */
  boolean run() throws IOException, InterruptedException {
    registerEnvironments();
    copyProjects();
    String job = Files.readString(examples.resolve("jobs/lr-sweep.json"));
    GridrunClient.Answer created = api.post("/api/v1/jobs", job);
    if (created.status() != 202) {
      out.println("gridrun: the example job was refused: " + created.body());
      return false;
    }
    String id = (String) created.json().get("id");
    out.println("Submitted job " + id + " (" + stack.gatewayUrl() + "/api/v1/jobs/" + id + ")");
    Map<String, Object> finished = follow(id);
    printRuns(id);
    out.println();
    out.println("Job " + id + " ended " + finished.get("status") + ". Where to look:");
    // the web UI first: most people look there (signed in with the banner's link)
    out.println("  job page  " + stack.gatewayUrl() + "/jobs/" + id);
    out.println("  job       " + stack.gatewayUrl() + "/api/v1/jobs/" + id);
    out.println("  runs      " + stack.gatewayUrl() + "/api/v1/jobs/" + id + "/runs");
    out.println(
        "  a log     " + stack.gatewayUrl() + "/api/v1/runs/" + id + "-r0000000/steps/train/logs");
    out.println("  /data     " + stack.settings().dataDir());
    out.println("  services  " + stack.settings().serviceLogs());
    return "SUCCESS".equals(finished.get("status"));
  }

  private void registerEnvironments() throws IOException, InterruptedException {
    try (Stream<Path> files = Files.list(examples.resolve("environments"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        GridrunClient.Answer answer =
            api.put("/api/v1/environments/" + name, Files.readString(file));
        if (answer.status() / 100 != 2) {
          throw new IllegalStateException(
              "could not register environment " + name + ": " + answer.body());
        }
        out.println("Registered environment " + name);
      }
    }
  }

  private void copyProjects() throws IOException {
    Path source = examples.resolve("projects");
    Path target = stack.settings().projectsRoot();
    ExampleFiles.copyTree(
        source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    out.println("Copied the example projects into " + target);
  }

  private Map<String, Object> follow(String id) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    ProgressLine progress = new ProgressLine(out, inPlace);
    String shown = "";
    while (Instant.now().isBefore(deadline)) {
      Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
      if (job != null) {
        String line = progressOf(job);
        String status = String.valueOf(job.get("status"));
        if (List.of("SUCCESS", "FAILURE", "ABORTED").contains(status)) {
          progress.finish(line);
          return job;
        }
        // a terminal shows every change; plain output a line per run that ended
        String milestone = status + " " + ended(job);
        if (inPlace || !milestone.equals(shown)) {
          progress.show(line);
          shown = milestone;
        }
      }
      Thread.sleep(500);
    }
    progress.clear();
    throw new IllegalStateException("the example job did not end within " + TIMEOUT);
  }

  private static long ended(Map<String, Object> job) {
    return job.get("runCounts") instanceof Map<?, ?> counts
        ? Stream.of("SUCCESS", "FAILURE", "ABORTED")
            .map(counts::get)
            .mapToLong(count -> count instanceof Number n ? n.longValue() : 0)
            .sum()
        : 0;
  }

  /** {@code STARTED runs: 2 pending, 3 started, 1 success}: the counts that are not 0. */
  @SuppressWarnings("unchecked")
  static String progressOf(Map<String, Object> job) {
    StringJoiner counts = new StringJoiner(", ");
    Object runCounts = job.get("runCounts");
    if (runCounts instanceof Map<?, ?> map) {
      ((Map<String, Object>) map)
          .forEach(
              (status, count) -> {
                if (count instanceof Number n && n.longValue() > 0) {
                  counts.add(n + " " + status.toLowerCase(Locale.ROOT));
                }
              });
    }
    return String.format(
        "  %-9s runs: %s", job.get("status"), counts.length() == 0 ? "none yet" : counts);
  }

  @SuppressWarnings("unchecked")
  private void printRuns(String id) throws IOException, InterruptedException {
    Map<String, Object> page = api.get("/api/v1/jobs/" + id + "/runs?size=500").json();
    out.println();
    out.printf("%-6s %-8s %-30s %s%n", "index", "status", "parameters", "metrics");
    for (Map<String, Object> run : (List<Map<String, Object>>) page.get("items")) {
      out.printf(
          "%-6s %-8s %-30s %s%n",
          run.get("index"),
          run.get("status"),
          flat(run.get("parameters"), true),
          flat(run.getOrDefault("metrics", Map.of()), false));
    }
  }

  /**
   * {@code lr=0.1 train.epochs=1} for the parameters {@code {pipeline={lr=0.1},
   * steps={train={epochs=1}}}} (pipeline ones bare, step ones under their step), {@code
   * train.loss=0.5} for the metrics {@code {train={loss=0.5}}}.
   */
  static String flat(Object value, boolean parameters) {
    StringJoiner joined = new StringJoiner(" ");
    if (parameters && value instanceof Map<?, ?> map) {
      flatten("", map.get("pipeline"), joined);
      flatten("", map.get("steps"), joined);
    } else {
      flatten("", value, joined);
    }
    return joined.toString();
  }

  private static void flatten(String prefix, Object value, StringJoiner joined) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, inner) -> flatten(prefix + key + ".", inner, joined));
    } else if (value != null) {
      joined.add(
          prefix.isEmpty()
              ? String.valueOf(value)
              : prefix.substring(0, prefix.length() - 1) + "=" + value);
    }
  }
}

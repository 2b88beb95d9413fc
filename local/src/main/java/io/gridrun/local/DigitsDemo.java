package io.gridrun.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ./gridrun demo digits}: a real sweep. Builds what is missing (the Python base image with
 * {@code scripts/python-image.sh}, the {@code digits} environment by gridrun itself), copies {@code
 * examples/projects/digits}, runs the 3 × 3 grid of C × gamma and prints the runs sorted by
 * accuracy.
 */
final class DigitsDemo {

  static final String BASE_IMAGE = "gridrun/python:3-debian";
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(30);

  private final LocalStack stack;
  private final Path examples;
  private final PrintStream out;
  private final GridrunClient api;

  DigitsDemo(LocalStack stack, Path examples, PrintStream out) {
    this.stack = stack;
    this.examples = examples;
    this.out = out;
    this.api = stack.client();
  }

  /** The finished job's id, or null when something failed (said on {@code out}). */
  String run() throws IOException, InterruptedException {
    if (!baseImage() || !environment()) {
      return null;
    }
    copyProject();
    GridrunClient.Answer created =
        api.post("/api/v1/jobs", Files.readString(examples.resolve("digits/job.json")));
    if (created.status() != 202) {
      out.println("gridrun: the digits job was refused: " + created.body());
      return null;
    }
    String id = (String) created.json().get("id");
    out.println("Submitted job " + id + ": 9 runs (C × gamma), 2 at a time");
    Map<String, Object> finished = follow(id);
    printResults(id);
    out.println();
    out.println("Job " + id + " ended " + finished.get("status") + ". Where to look:");
    String run = stack.gatewayUrl() + "/api/v1/runs/" + id + "-r0000000/steps";
    // the web UI first: most people look there (signed in with the banner's link)
    out.println("  job page  " + stack.gatewayUrl() + "/jobs/" + id);
    out.println("  results   " + stack.gatewayUrl() + "/api/v1/jobs/" + id + "/results");
    out.println("  artifacts " + run + "/train/artifacts");
    out.println("  notebook  " + run + "/report/notebook.html");
    return "SUCCESS".equals(finished.get("status")) ? id : null;
  }

  private boolean baseImage() throws IOException, InterruptedException {
    if (new DockerProbe(DockerProbe.DEFAULT_SOCKET).imageExists(BASE_IMAGE)) {
      return true;
    }
    out.println(
        "Building the base image "
            + BASE_IMAGE
            + " from Debian packages (scripts/python-image.sh; a few minutes the first time,"
            + " seconds once its root file system is cached)...");
    Path script = examples.toAbsolutePath().getParent().resolve("scripts/python-image.sh");
    Process process = new ProcessBuilder(script.toString()).inheritIO().start();
    if (process.waitFor() != 0) {
      out.println("gridrun: " + script + " failed");
      return false;
    }
    return true;
  }

  /** Builds the digits environment unless a READY version has the same base and setup. */
  private boolean environment() throws IOException, InterruptedException {
    String wanted = Files.readString(examples.resolve("digits/environment.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> want =
        io.gridrun.common.event.EventCodec.mapper().readValue(wanted, Map.class);
    GridrunClient.Answer current = api.get("/api/v1/environments/digits");
    if (current.status() == 200
        && current.json().get("image") != null
        && Objects.equals(current.json().get("setup"), want.get("setup"))
        && Objects.equals(current.json().get("base"), want.get("base"))) {
      out.println("Environment digits is READY (" + current.json().get("image") + ")");
      return true;
    }
    out.println(
        "Building environment digits from "
            + BASE_IMAGE
            + ": apt-get installs scikit-learn, matplotlib, nbclient, nbconvert and ipykernel"
            + " (several minutes the first time; later builds reuse Docker's cache)...");
    GridrunClient.Answer started = api.put("/api/v1/environments/digits", wanted);
    if (started.status() != 202) {
      out.println("gridrun: the build was refused: " + started.body());
      return false;
    }
    int version = ((Number) started.json().get("version")).intValue();
    Instant begun = Instant.now();
    Instant deadline = begun.plus(BUILD_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      Map<String, Object> view = api.get("/api/v1/environments/digits").json();
      Object status = view.get("status");
      if ("READY".equals(status)) {
        out.printf(
            "Environment digits version %d READY after %d s%n",
            version, Duration.between(begun, Instant.now()).toSeconds());
        return true;
      }
      if ("FAILED".equals(status)) {
        out.println("gridrun: the build failed: " + view.get("reason"));
        String log = api.get("/api/v1/environments/digits/builds/" + version + "/log").body();
        log.lines().skip(Math.max(0, log.lines().count() - 20)).forEach(out::println);
        return false;
      }
      Thread.sleep(2000);
    }
    out.println("gridrun: the build did not end within " + BUILD_TIMEOUT);
    return false;
  }

  private void copyProject() throws IOException {
    Path source = examples.resolve("projects/digits");
    Path target = stack.settings().projectsRoot().resolve("digits");
    ExampleFiles.copyTree(source, target, StandardCopyOption.REPLACE_EXISTING);
  }

  private Map<String, Object> follow(String id) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(JOB_TIMEOUT);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
      if (job != null) {
        String line = "  " + job.get("status") + "  runs " + job.get("runCounts");
        if (!line.equals(last)) {
          out.println(line);
          last = line;
        }
        if (List.of("SUCCESS", "FAILURE", "ABORTED").contains(String.valueOf(job.get("status")))) {
          return job;
        }
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the digits job did not end within " + JOB_TIMEOUT);
  }

  @SuppressWarnings("unchecked")
  private void printResults(String id) throws IOException, InterruptedException {
    Map<String, Object> page =
        api.get("/api/v1/jobs/" + id + "/results?sort=train.accuracy&order=desc&size=50").json();
    out.println();
    out.printf(
        "%-6s %-8s %-8s %-8s %-10s %s%n", "index", "status", "C", "gamma", "accuracy", "fit s");
    for (Map<String, Object> run : (List<Map<String, Object>>) page.get("items")) {
      Map<String, Object> parameters =
          (Map<String, Object>)
              ((Map<String, Object>) run.getOrDefault("parameters", Map.of()))
                  .getOrDefault("pipeline", Map.of());
      Map<String, Object> train =
          (Map<String, Object>)
              ((Map<String, Object>) run.getOrDefault("metrics", Map.of()))
                  .getOrDefault("train", Map.of());
      out.printf(
          "%-6s %-8s %-8s %-8s %-10s %s%n",
          run.get("index"),
          run.get("status"),
          parameters.get("C"),
          parameters.get("gamma"),
          train.getOrDefault("accuracy", "-"),
          train.getOrDefault("fit_seconds", "-"));
    }
  }
}

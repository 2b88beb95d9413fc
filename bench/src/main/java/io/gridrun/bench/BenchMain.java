package io.gridrun.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mvnw -q -pl bench exec:java}: runs the benchmarks, prints every figure next to its
 * baseline and writes them to docs/benchmarks.md. Exits non-zero only if a benchmark could not run,
 * never because a figure was slow; a benchmark whose prerequisite is missing (the runner fleet's
 * Docker figures without a Docker engine) is named in the report, the others are still measured.
 */
@Command(name = "gridrun-bench", mixinStandardHelpOptions = true)
public class BenchMain implements Callable<Integer> {

  @Option(names = "--runs", defaultValue = "100000", description = "Runs of the dispatch job.")
  long runs;

  @Option(
      names = "--throughput-runs",
      defaultValue = "100000",
      description =
          "Runs of each throughput job, orchestration and runner fleet (more than the window can"
              + " finish).")
  long throughputRuns;

  @Option(names = "--window", defaultValue = "60", description = "Throughput window in seconds.")
  long window;

  @Option(names = "--latency-jobs", defaultValue = "20", description = "One-run jobs for latency.")
  int latencyJobs;

  @Option(
      names = "--snapshot-files",
      defaultValue = "10000",
      description = "Files of the snapshot project.")
  int snapshotFiles;

  @Option(
      names = "--snapshot-mib",
      defaultValue = "500",
      description = "Size of the snapshot project in MiB.")
  long snapshotMib;

  @Option(
      names = "--runner-runs",
      defaultValue = "40",
      description = "One-step runs on one Docker runner, against as many `docker run --rm`.")
  int runnerRuns;

  @Option(
      names = "--runner-window",
      defaultValue = "30",
      description = "Runner fleet throughput window in seconds (1, 2 and 4 runners).")
  long runnerWindow;

  @Option(
      names = "--view-runs",
      defaultValue = "100000",
      description = "Runs of the job whose run views are timed on `./gridrun local` (ViewBench).")
  long viewRuns;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md", description = "Report file.")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("gridrun-bench");
    double loadAtStart = BenchReport.loadAverage();
    List<Figure> figures =
        new OrchestrationBench(
                new OrchestrationBench.Settings(
                    runs, throughputRuns, Duration.ofSeconds(window), latencyJobs, work))
            .run();
    double loadAfterOrchestration = BenchReport.loadAverage();
    String command =
        String.format(
            "./mvnw -q -pl bench exec:java -Dexec.args=\"--runs %d --throughput-runs %d --window %d"
                + " --latency-jobs %d --snapshot-files %d --snapshot-mib %d --runner-runs %d"
                + " --runner-window %d\"",
            runs,
            throughputRuns,
            window,
            latencyJobs,
            snapshotFiles,
            snapshotMib,
            runnerRuns,
            runnerWindow);
    List<Figure> snapshots =
        new SnapshotBench(
                new SnapshotBench.Settings(snapshotFiles, snapshotMib * 1024 * 1024, work))
            .run();
    double loadAfterSnapshots = BenchReport.loadAverage();
    RunnerBench.Result fleet =
        new RunnerBench(
                new RunnerBench.Settings(
                    runnerRuns, throughputRuns, Duration.ofSeconds(runnerWindow), work))
            .run();
    List<Figure> views = new ViewBench(new ViewBench.Settings(viewRuns, work)).run();
    double loadAtEnd = BenchReport.loadAverage();
    String section =
        BenchReport.markdown(
                "Orchestration (issue 6)",
                figures,
                command,
                List.of(),
                BenchReport.load(loadAtStart, loadAfterOrchestration))
            + "\n"
            + BenchReport.markdown(
                "Snapshots (issue 4)",
                snapshots,
                command,
                List.of(),
                BenchReport.load(loadAfterOrchestration, loadAfterSnapshots))
            + "\n"
            + BenchReport.markdown(
                "Runner fleet (issue 5)",
                fleet.figures(),
                command,
                fleet.notRun(),
                BenchReport.load(loadAfterSnapshots, loadAtEnd))
            + "\n"
            + BenchReport.markdown("Run views (issue 19)", views, command, List.of(), null)
            + "\n"
            + FleetBench.section(throughputRuns, Duration.ofSeconds(runnerWindow), work, command);
    System.out.println(section);
    BenchReport.write(out, section);
    System.out.println("written to " + out.toAbsolutePath());
    org.springframework.util.FileSystemUtils.deleteRecursively(work);
    if (!fleet.notRun().isEmpty()) {
      System.err.println("gridrun-bench: not every benchmark could run: " + fleet.notRun());
      return 1;
    }
    return 0;
  }
}

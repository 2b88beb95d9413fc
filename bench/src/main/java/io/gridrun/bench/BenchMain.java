package io.gridrun.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
      names = "--latency-warm-up-runs",
      defaultValue = "500",
      description =
          "Runs of the job that warms the stack up before the measured one-run jobs (the jobs of a"
              + " fresh stack are reported too).")
  long latencyWarmUpRuns;

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

  @Option(
      names = "--fleets",
      split = ",",
      defaultValue = "1,2,4",
      description = "Runner processes of each fleet in the fleet suite (FleetBench).")
  List<Integer> fleets;

  @Option(
      names = "--runner-fleets",
      split = ",",
      defaultValue = "1,2,4",
      description =
          "Runners of each fleet in the runners suite's process throughput (runners inside the"
              + " stack's process); none with --quick, where the fleet suite's runner processes"
              + " stand for them.")
  List<Integer> runnerFleets;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md", description = "Report file.")
  Path out;

  @Option(
      names = "--quick",
      description =
          "A routine check in under 5 minutes: small sizes (the size options are set to their"
              + " quick values), the same figures and ratios.")
  boolean quick;

  @Option(
      names = "--only",
      split = ",",
      description = "Run only these suites, by name (orchestration, snapshots, runners, ...).")
  List<String> only;

  /**
   * Every benchmark, in the order run; one line each. A suite reads its sizes from the options
   * above (add an option for a new size).
   */
  static final List<BenchSuite> SUITES =
      List.of(
          // first: it starts no stack, so no stopping stack of a previous suite runs beside it
          BenchSuite.of(
              "snapshots", "Snapshots and working copies (issues 4, 19)", BenchMain::snapshots),
          // second: ./gridrun local starts with no stack stopping beside it (see ViewBench), and
          // stops in the background while the next suite starts its own
          BenchSuite.of(
              "views", "Run views of a large job on the local stack (issue 19)", BenchMain::views),
          BenchSuite.of("orchestration", "Orchestration (issues 6, 19)", BenchMain::orchestration),
          BenchSuite.of(
              "runners", "Runner fleet and containers (issues 5, 19)", BenchMain::runners),
          BenchSuite.of(
              "fleet", "Fleet of runner processes, CPU per run (issues 17, 19)", BenchMain::fleet));

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (quick) {
      applyQuickSizes();
    }
    Path work = Files.createTempDirectory("gridrun-bench");
    String command = command();
    StringBuilder report = new StringBuilder();
    List<String> notRun = new ArrayList<>();
    try {
      for (BenchSuite suite : SUITES) {
        if (only != null && !only.contains(suite.name())) {
          continue;
        }
        double before = BenchReport.loadAverage();
        Instant started = Instant.now();
        Phases.begin(suite.name());
        BenchSuite.Section section = suite.run(this, work);
        Phases.mark("the rest (stopping what is not stopped in the background)");
        String markdown =
            BenchReport.markdown(
                suite.title(),
                section.figures(),
                command,
                section.notRun(),
                BenchReport.load(before, BenchReport.loadAverage()),
                section.notes(),
                Duration.between(started, Instant.now()));
        System.out.println(markdown);
        report.append(report.length() == 0 ? "" : "\n").append(markdown);
        notRun.addAll(section.notRun());
      }
    } finally {
      Stops.awaitAll();
      org.springframework.util.FileSystemUtils.deleteRecursively(work);
    }
    BenchReport.write(out, report.toString());
    System.out.println("written to " + out.toAbsolutePath());
    System.err.println("bench phases:\n" + Phases.summary());
    if (!notRun.isEmpty()) {
      System.err.println("gridrun-bench: not every benchmark could run: " + notRun);
      return 1;
    }
    return 0;
  }

  /**
   * {@code --quick}: sizes for a routine check in under 5 minutes on 2 cores. Most of a suite's
   * time is starting stacks and filling jobs, so a quick run starts fewer of them: throughput jobs
   * of 2 000 runs (a 10 s window finishes 600 even at the target rate, and materialising and
   * requesting 100 000 runs took minutes per stack), one fleet of two runner processes, no in-stack
   * fleets in the runners suite (the fleet suite's processes stand for them), and a view job of
   * 5000 runs (at 10 000 the quick run took 5.5 minutes, 97 s of them in the views suite).
   */
  private void applyQuickSizes() {
    runs = 3_000;
    throughputRuns = 2_000;
    window = 10;
    latencyJobs = 5;
    latencyWarmUpRuns = 200;
    snapshotFiles = 2_000;
    snapshotMib = 50;
    runnerRuns = 10;
    runnerWindow = 10;
    viewRuns = 5_000;
    fleets = List.of(2);
    runnerFleets = List.of();
  }

  private String command() {
    if (quick) {
      // its sizes are set by --quick (and an empty list cannot be written as an option)
      return "./mvnw -q -pl bench exec:java -Dexec.args=\"--quick"
          + (only == null ? "" : " --only " + String.join(",", only))
          + "\"";
    }
    return String.format(
        "./mvnw -q -pl bench exec:java -Dexec.args=\"--runs %d --throughput-runs %d --window %d"
            + " --latency-jobs %d --latency-warm-up-runs %d --snapshot-files %d --snapshot-mib %d"
            + " --runner-runs %d --runner-window %d --view-runs %d --fleets %s --runner-fleets %s%s\"",
        runs,
        throughputRuns,
        window,
        latencyJobs,
        latencyWarmUpRuns,
        snapshotFiles,
        snapshotMib,
        runnerRuns,
        runnerWindow,
        viewRuns,
        joined(fleets),
        joined(runnerFleets),
        only == null ? "" : " --only " + String.join(",", only));
  }

  private static String joined(List<Integer> counts) {
    return String.join(",", counts.stream().map(String::valueOf).toList());
  }

  private static BenchSuite.Section orchestration(BenchMain o, Path work) throws Exception {
    return BenchSuite.Section.of(
        new OrchestrationBench(
                new OrchestrationBench.Settings(
                    o.runs,
                    o.throughputRuns,
                    Duration.ofSeconds(o.window),
                    o.latencyJobs,
                    o.latencyWarmUpRuns,
                    work))
            .run());
  }

  private static BenchSuite.Section snapshots(BenchMain o, Path work) throws Exception {
    SnapshotBench bench =
        new SnapshotBench(
            new SnapshotBench.Settings(o.snapshotFiles, o.snapshotMib * 1024 * 1024, work));
    List<Figure> figures = bench.run();
    return new BenchSuite.Section(figures, bench.notRun(), SnapshotBench.NOTES);
  }

  private static BenchSuite.Section runners(BenchMain o, Path work) throws Exception {
    RunnerBench.Result fleet =
        new RunnerBench(
                new RunnerBench.Settings(
                    o.runnerRuns,
                    o.throughputRuns,
                    Duration.ofSeconds(o.runnerWindow),
                    List.copyOf(o.runnerFleets),
                    work))
            .run();
    return new BenchSuite.Section(fleet.figures(), fleet.notRun(), RunnerBench.NOTES);
  }

  private static BenchSuite.Section fleet(BenchMain o, Path work) throws Exception {
    return new BenchSuite.Section(
        new FleetBench(
                new FleetBench.Settings(
                    List.copyOf(o.fleets),
                    4,
                    o.throughputRuns,
                    Duration.ofSeconds(o.runnerWindow),
                    List.of(),
                    work))
            .run(),
        List.of(),
        List.of(OrchestrationProfile.NOTES.strip()));
  }

  private static BenchSuite.Section views(BenchMain o, Path work) throws Exception {
    return BenchSuite.Section.of(new ViewBench(new ViewBench.Settings(o.viewRuns, work)).run());
  }
}

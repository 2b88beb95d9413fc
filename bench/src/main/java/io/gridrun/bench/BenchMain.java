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
 * never because a figure was slow.
 */
@Command(name = "gridrun-bench", mixinStandardHelpOptions = true)
public class BenchMain implements Callable<Integer> {

  @Option(names = "--runs", defaultValue = "100000", description = "Runs of the dispatch job.")
  long runs;

  @Option(
      names = "--throughput-runs",
      defaultValue = "100000",
      description = "Runs of the throughput job (more than the window can finish).")
  long throughputRuns;

  @Option(names = "--window", defaultValue = "60", description = "Throughput window in seconds.")
  long window;

  @Option(names = "--latency-jobs", defaultValue = "20", description = "One-run jobs for latency.")
  int latencyJobs;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md", description = "Report file.")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("gridrun-bench");
    List<Figure> figures =
        new OrchestrationBench(
                new OrchestrationBench.Settings(
                    runs, throughputRuns, Duration.ofSeconds(window), latencyJobs, work))
            .run();
    String command =
        "./mvnw -q -pl bench exec:java -Dexec.args=\"--runs "
            + runs
            + " --window "
            + window
            + " --latency-jobs "
            + latencyJobs
            + "\"";
    String section = BenchReport.markdown("Orchestration (issue 6)", figures, command);
    System.out.println(section);
    BenchReport.write(out, section);
    System.out.println("written to " + out.toAbsolutePath());
    return 0;
  }
}

package io.gridrun.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fleet figure alone, e.g. to profile the services: {@code ./mvnw -q -pl bench exec:java
 * -Dexec.mainClass=io.gridrun.bench.FleetMain -Dexec.args="--fleets 1 --window 30 --jfr"} leaves a
 * flight recording of job-service and of each runner next to their logs (the path is printed).
 */
@Command(name = "gridrun-bench-fleet", mixinStandardHelpOptions = true)
public class FleetMain implements Callable<Integer> {

  @Option(names = "--fleets", split = ",", defaultValue = "1,2,4", description = "Runner counts.")
  List<Integer> fleets;

  @Option(names = "--slots", defaultValue = "4", description = "Slots of every runner.")
  int slots;

  @Option(names = "--runs", defaultValue = "100000", description = "Runs of each job.")
  long runs;

  @Option(names = "--window", defaultValue = "30", description = "Window in seconds.")
  long window;

  @Option(names = "--jfr", description = "Record each service JVM with JDK Flight Recorder.")
  boolean jfr;

  @Option(names = "--work", description = "Where stacks, logs and recordings go (kept).")
  Path work;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FleetMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("fleet");
    List<String> options = new ArrayList<>();
    if (jfr) {
      options.add("-XX:StartFlightRecording=settings=profile,filename={jfr},dumponexit=true");
    }
    List<Figure> figures =
        new FleetBench(
                new FleetBench.Settings(
                    fleets, slots, runs, Duration.ofSeconds(window), options, dir))
            .run();
    System.out.println(
        BenchReport.markdown(
            "Fleet (issues 17, 19)",
            figures,
            "FleetMain " + String.join(" ", fleets.stream().map(String::valueOf).toList()),
            List.of(),
            BenchReport.load(BenchReport.loadAverage(), BenchReport.loadAverage())));
    System.out.println("stacks, logs and recordings under " + dir);
    return 0;
  }
}

package io.gridrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.local.DockerProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the whole harness on a tiny size, so that it keeps working; asserts no speed. */
class BenchHarnessTest {

  @TempDir Path temp;

  @Test
  void runsEveryBenchmarkOnATinySizeAndWritesTheTable() throws Exception {
    // like the end-to-end tests: CI always has Docker, so its absence fails rather than skips
    DockerProbe docker = new DockerProbe(DockerProbe.DEFAULT_SOCKET);
    assertThat(docker.engineAnswers())
        .as("a Docker engine must answer at /var/run/docker.sock (run ./gridrun test)")
        .isTrue();
    assertThat(docker.imageExists(RunnerBench.IMAGE))
        .as("test image " + RunnerBench.IMAGE)
        .isTrue();
    Path report = temp.resolve("benchmarks.md");

    int exit =
        new CommandLine(new BenchMain())
            .execute(
                "--runs",
                "100",
                // more runs than a 2–3 s window finishes (a 4-runner fleet of process steps does
                // under 20 a second on 2 cores), few enough to dispatch in a second or two
                "--throughput-runs",
                "500",
                "--window",
                "3",
                "--latency-jobs",
                "3",
                "--latency-warm-up-runs",
                "10",
                "--snapshot-files",
                "200",
                "--snapshot-mib",
                "2",
                "--runner-runs",
                "2",
                "--runner-window",
                "2",
                // the view suite waits for a hundredth of the runs to end, two at a time
                "--view-runs",
                "100",
                // two in-stack fleets show the comparison; a third stack only costs CI time
                "--runner-fleets",
                "1,2",
                // the fleet suite (processes of their own, 1, 2 and 4 runners) needs a window of
                // many seconds to count runs; its parts are FleetBenchTest's
                "--only",
                "orchestration,snapshots,runners,views",
                "--out",
                report.toString());

    assertThat(exit).isZero();
    String table = Files.readString(report);
    assertThat(table)
        .contains("| dispatch: POST of a 100-run job")
        .contains("plain Kafka producer")
        .contains("latency p95: POST of a one-run job → job SUCCESS |")
        .contains("latency p95: POST of a one-run job → job SUCCESS, a fresh stack (after 12")
        .contains("throughput: two-step runs")
        .contains("job-service heap peak during dispatch")
        .contains("| first snapshot of 200 files")
        .contains("| new blob bytes written by the re-snapshot | 0.00 B")
        .contains("a run's working copy as a full copy")
        .contains("## Runner fleet and containers (issues 5, 19)")
        .contains(
            "| 2 no-op one-step runs, Docker executor, 1 runner × 1 slot: POST of the job → job"
                + " SUCCESS")
        .contains("1 runner × 4 slots: POST of the job")
        .contains(
            "| the same, as the fresh stack's first job of that size (its JIT still compiling) |")
        .contains("2 sequential `docker run --rm --network none gridrun/busybox:test true`")
        .contains("process executor, 1 runner × 4 slots, 2 s")
        .contains("process executor, 2 runners × 4 slots, 2 s | ")
        .doesNotContain("4 runners × 4 slots")
        .contains("| 1 runner × 4 slots (above) |")
        .contains("--runner-runs 2 --runner-window 2")
        .contains("--runner-fleets 1,2")
        .contains("| run views of a 100-run job, `./gridrun local`: p95 of 50 queries")
        .doesNotContain("Could not run here");
  }

  @Test
  void whatCouldNotRunIsNamedUnderTheTable() {
    String section =
        BenchReport.markdown(
            "Runner fleet (issue 5)",
            List.of(Figure.alone("x", 1, "ms")),
            "cmd",
            List.of("Docker figures: no Docker engine answers"),
            BenchReport.load(8.5, 12.25));

    assertThat(section)
        .contains("- load: 1-minute load average 8.50 before, 12.25 after, on ")
        .contains("| x | 1.00 ms |")
        .endsWith(
            "Could not run here, so not measured:\n\n- Docker figures: no Docker engine answers\n");
  }

  @Test
  void aRegenerationReplacesTheFiguresAndKeepsTheHandWrittenPart() throws Exception {
    Path report = temp.resolve("kept.md");
    java.nio.file.Files.writeString(
        report,
        "# Benchmarks\n\n## Old\n\n| old figure |\n\n"
            + BenchReport.KEPT_MARKER
            + "\n\n### Where the time went\n\nA profile.\n");

    BenchReport.write(report, "## New\n\n| new figure |\n");

    assertThat(java.nio.file.Files.readString(report))
        .contains("| new figure |")
        .doesNotContain("old figure")
        .endsWith(BenchReport.KEPT_MARKER + "\n\n### Where the time went\n\nA profile.\n");
  }

  @Test
  void percentilesPickTheNearestRank() {
    List<Long> values = List.of(5L, 1L, 3L, 2L, 4L);

    assertThat(OrchestrationBench.percentile(values, 50)).isEqualTo(3.0);
    assertThat(OrchestrationBench.percentile(values, 95)).isEqualTo(5.0);
  }

  @Test
  void ratiosCompareAFigureWithItsBaseline() {
    assertThat(new Figure("x", 50, "ms", "b", 25.0, false).ratio()).isEqualTo("2.00×");
    assertThat(Figure.alone("x", 1, "ms").ratio()).isEmpty();
  }
}

package io.gridrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
    Path report = temp.resolve("benchmarks.md");

    int exit =
        new CommandLine(new BenchMain())
            .execute(
                "--runs",
                "300",
                "--window",
                "3",
                "--latency-jobs",
                "3",
                "--snapshot-files",
                "200",
                "--snapshot-mib",
                "2",
                "--out",
                report.toString());

    assertThat(exit).isZero();
    String table = Files.readString(report);
    assertThat(table)
        .contains("| dispatch: POST of a 300-run job")
        .contains("plain Kafka producer")
        .contains("latency p95: POST of a one-run job → job SUCCESS")
        .contains("throughput: two-step runs")
        .contains("job-service heap peak during dispatch")
        .contains("| first snapshot of 200 files")
        .contains("| new blob bytes written by the re-snapshot | 0.00 B")
        .contains("materialising one run's working copy");
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

package io.gridrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet figure's arithmetic, without a stack. */
class FleetBenchTest {

  @Test
  void cpuTimesAreReadFromProcStatAfterTheCommandNameWhateverItHolds() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime ...; the name may hold spaces and parentheses
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 30 20 20 0 40 0 1 2 3";

    ProcessCpu.Sample sample = ProcessCpu.parse(stat);

    assertThat(sample.ownMillis()).isEqualTo(3_000); // (250 + 50) ticks of 10 ms
    assertThat(sample.childrenMillis()).isEqualTo(500);
  }

  @Test
  void thisProcessHasSpentSomeCpu() {
    assertThat(ProcessCpu.of(ProcessHandle.current().pid()).ownMillis()).isPositive();
    assertThat(ProcessCpu.self().ownMillis()).isPositive();
  }

  @Test
  void cpuPerRunIsTheWindowsCpuOverItsRunsChildrenIncluded() {
    Map<String, ProcessCpu.Sample> before = new LinkedHashMap<>();
    before.put("job-service", new ProcessCpu.Sample(1_000, 0));
    before.put("runner", new ProcessCpu.Sample(500, 100));
    Map<String, ProcessCpu.Sample> after = new LinkedHashMap<>();
    after.put("job-service", new ProcessCpu.Sample(3_000, 0));
    after.put("runner", new ProcessCpu.Sample(1_500, 1_100));

    Map<String, Double> perRun = FleetBench.perRun(before, after, 100);

    assertThat(perRun).containsExactly(Map.entry("job-service", 20.0), Map.entry("runner", 20.0));
  }

  @Test
  void eachFleetIsComparedWithTheFirstAndItsCpuListedPerProcess() {
    List<Figure> figures =
        FleetBench.figures(
            List.of(
                new FleetBench.Measurement(1, 600, Map.of("job-service", 12.5)),
                new FleetBench.Measurement(2, 900, Map.of("job-service", 10.0))),
            4,
            Duration.ofSeconds(30));

    assertThat(figures)
        .extracting(Figure::name)
        .containsExactly(
            "fleet: two-step runs (`true`), process executor, 1 runner process × 4 slots, 30 s",
            "fleet, 1 runner process: CPU per run, job-service",
            "fleet: two-step runs (`true`), process executor, 2 runner processes × 4 slots, 30 s",
            "fleet, 2 runner processes: CPU per run, job-service");
    assertThat(figures.get(2).ratio()).isEqualTo("1.50×");
    assertThat(figures.get(3).value()).isEqualTo(10.0);
  }
}

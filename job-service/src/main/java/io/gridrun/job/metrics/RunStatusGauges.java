package io.gridrun.job.metrics;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.port.Jobs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code gridrun_runs{status}}: runs per status over all jobs, summed from the jobs' counters (kept
 * per event) every few seconds rather than counted over the runs.
 */
@Component
class RunStatusGauges {

  private final Jobs jobs;
  private final Map<ExecutionStatus, AtomicLong> values = new EnumMap<>(ExecutionStatus.class);

  RunStatusGauges(Jobs jobs, MeterRegistry registry) {
    this.jobs = jobs;
    for (ExecutionStatus status : ExecutionStatus.values()) {
      AtomicLong value = new AtomicLong();
      values.put(status, value);
      Gauge.builder("gridrun.runs", value, AtomicLong::get)
          .tag("status", status.name())
          .register(registry);
    }
  }

  @Scheduled(fixedDelayString = "${gridrun.jobs.gauge-interval:10s}")
  void refresh() {
    Map<ExecutionStatus, Long> sums = new EnumMap<>(ExecutionStatus.class);
    jobs.forEach(job -> job.runCounts().forEach((s, n) -> sums.merge(s, n, Long::sum)));
    values.forEach((status, value) -> value.set(sums.getOrDefault(status, 0L)));
  }
}

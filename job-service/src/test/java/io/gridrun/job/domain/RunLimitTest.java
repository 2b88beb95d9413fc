package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunLimitTest {

  @Test
  void aBatchThatWouldPassTheRunsPerJobLimitIsRefusedNamingTheLimit() {
    assertThat(JobControl.overRunLimit(6, 4, 10)).isNull();
    assertThat(JobControl.overRunLimit(8, 4, 10))
        .isEqualTo(
            "the job has 8 runs; a batch of 4 more would pass the limit of 10 runs per job"
                + " (gridrun.jobs.max-runs-per-job)");
  }
}

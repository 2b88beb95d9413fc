package io.gridrun.job;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * job-service settings.
 *
 * @param expansionBatch run documents written per insert while a grid is expanded
 * @param dispatchBatch run requests published per round while dispatching
 * @param listenerConcurrency consumer threads for the job-keyed topics
 * @param schedule how schedules fire
 */
@ConfigurationProperties("gridrun.jobs")
@Validated
public record JobServiceProperties(
    @DefaultValue("1000") @Min(1) int expansionBatch,
    @DefaultValue("500") @Min(1) int dispatchBatch,
    @DefaultValue("2") @Min(1) int listenerConcurrency,
    @DefaultValue @jakarta.validation.Valid ScheduleSettings schedule) {

  /**
   * @param tick how often the scheduler looks for due firings
   * @param misfireGrace a firing handled later than this after its time counts as missed, and the
   *     job's {@code missed} policy applies to it
   * @param maxCatchUpBatches with {@code missed: all}, at most this many missed firings start a
   *     batch (the most recent ones); older ones are recorded as missed
   */
  public record ScheduleSettings(
      @DefaultValue("1s") java.time.Duration tick,
      @DefaultValue("60s") java.time.Duration misfireGrace,
      @DefaultValue("100") @Min(1) int maxCatchUpBatches) {}
}

package io.gridrun.gateway.job;

import io.gridrun.platform.web.Violations;
import jakarta.validation.ConstraintValidatorContext;
import java.time.Duration;

/**
 * Caps on what a job submission may ask for; each refusal names the limit and its setting.
 *
 * @param maxParameterBytes the largest parameter (grid, include, exclude) or env value, as JSON
 * @param maxTimeout the longest job {@code timeout}
 * @param minCronInterval the shortest time between two firings of a cron schedule
 */
public record JobLimits(int maxParameterBytes, Duration maxTimeout, Duration minCronInterval) {

  public static final JobLimits DEFAULTS =
      new JobLimits(4096, Duration.ofDays(30), Duration.ofMinutes(1));

  /** The limits a constraint validator was given as its payload, or the defaults. */
  static JobLimits of(ConstraintValidatorContext context) {
    JobLimits limits = Violations.payload(context, JobLimits.class);
    return limits == null ? DEFAULTS : limits;
  }
}

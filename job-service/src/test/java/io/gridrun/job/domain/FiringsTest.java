package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.job.Schedule;
import io.gridrun.common.job.Schedule.Missed;
import io.gridrun.common.job.Schedule.Overlap;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiringsTest {

  private static final Duration GRACE = Duration.ofSeconds(60);

  private static Schedule cron(String expression, String zone, Missed missed) {
    return new Schedule(null, expression, zone, Overlap.ALLOW, missed);
  }

  private static Instant t(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void fiveFieldExpressionsFireOnTheMinuteAndSixFieldOnesOnTheirSeconds() {
    Instant from = t("2026-11-25T10:00:10Z");

    assertThat(Firings.first(cron("*/5 * * * *", null, null), from))
        .isEqualTo(t("2026-11-25T10:05:00Z"));
    assertThat(Firings.first(cron("*/20 * * * * *", null, null), from))
        .isEqualTo(t("2026-11-25T10:00:20Z"));
  }

  @Test
  void firesAtTheLocalTimeOfItsZoneAcrossDaylightSavingChanges() {
    Schedule daily = cron("0 3 * * *", "Europe/Amsterdam", null);

    // winter: UTC+1
    assertThat(Firings.nextAfter(daily, t("2026-01-10T12:00:00Z")))
        .isEqualTo(t("2026-01-11T02:00:00Z"));
    // summer: UTC+2; the clocks went forward on 2026-03-29
    assertThat(Firings.nextAfter(daily, t("2026-03-28T12:00:00Z")))
        .isEqualTo(t("2026-03-29T01:00:00Z"));
    assertThat(Firings.nextAfter(daily, t("2026-07-01T12:00:00Z")))
        .isEqualTo(t("2026-07-02T01:00:00Z"));
  }

  @Test
  void weekdayExpressionsSkipTheWeekend() {
    Schedule weekdays = cron("0 3 * * MON-FRI", "UTC", null);

    // Friday 2026-11-27 04:00 → Monday 2026-11-30 03:00
    assertThat(Firings.nextAfter(weekdays, t("2026-11-27T04:00:00Z")))
        .isEqualTo(t("2026-11-30T03:00:00Z"));
  }

  @Test
  void aFiringHandledOnTimeStartsOneBatchAndSchedulesTheNext() {
    Schedule everyMinute = cron("* * * * *", null, Missed.NONE);

    Firings.Plan plan =
        Firings.plan(everyMinute, t("2026-11-25T10:01:00Z"), t("2026-11-25T10:01:02Z"), GRACE, 100);

    assertThat(plan.batches()).containsExactly(t("2026-11-25T10:01:00Z"));
    assertThat(plan.missed()).isEmpty();
    assertThat(plan.next()).isEqualTo(t("2026-11-25T10:02:00Z"));
  }

  @Test
  void missedNoneDropsEveryFiringMissedWhileDown() {
    Schedule everyMinute = cron("* * * * *", null, Missed.NONE);

    Firings.Plan plan =
        Firings.plan(
            everyMinute,
            t("2026-11-25T10:01:00Z"),
            t("2026-11-25T10:05:30Z"),
            Duration.ofSeconds(10),
            100);

    assertThat(plan.batches()).isEmpty();
    assertThat(plan.missed()).hasSize(5);
    assertThat(plan.next()).isEqualTo(t("2026-11-25T10:06:00Z"));
  }

  @Test
  void missedNoneStillRunsTheLatestFiringIfItIsWithinTheGrace() {
    Schedule everyMinute = cron("* * * * *", null, Missed.NONE);

    Firings.Plan plan =
        Firings.plan(everyMinute, t("2026-11-25T10:01:00Z"), t("2026-11-25T10:05:10Z"), GRACE, 100);

    assertThat(plan.batches()).containsExactly(t("2026-11-25T10:05:00Z"));
    assertThat(plan.missed()).hasSize(4);
  }

  @Test
  void missedLastCollapsesTheMissedFiringsIntoOneBatchForTheLatest() {
    Schedule everyMinute = cron("* * * * *", null, Missed.LAST);

    Firings.Plan plan =
        Firings.plan(everyMinute, t("2026-11-25T10:01:00Z"), t("2026-11-25T10:05:30Z"), GRACE, 100);

    assertThat(plan.batches()).containsExactly(t("2026-11-25T10:05:00Z"));
    assertThat(plan.missed()).hasSize(4).first().isEqualTo(t("2026-11-25T10:01:00Z"));
  }

  @Test
  void missedAllRunsEachMissedFiringUpToTheCatchUpLimit() {
    Schedule everyMinute = cron("* * * * *", null, Missed.ALL);

    Firings.Plan all =
        Firings.plan(everyMinute, t("2026-11-25T10:01:00Z"), t("2026-11-25T10:05:30Z"), GRACE, 100);
    Firings.Plan limited =
        Firings.plan(everyMinute, t("2026-11-25T10:01:00Z"), t("2026-11-25T10:05:30Z"), GRACE, 2);

    assertThat(all.batches()).hasSize(5).first().isEqualTo(t("2026-11-25T10:01:00Z"));
    assertThat(all.missed()).isEmpty();
    assertThat(limited.batches())
        .containsExactly(t("2026-11-25T10:04:00Z"), t("2026-11-25T10:05:00Z"));
    assertThat(limited.missed()).hasSize(3);
  }

  @Test
  void aOneOffTimeFiresOnceAndIsMissedOnlyUnderMissedNone() {
    OffsetDateTime at = OffsetDateTime.parse("2026-12-01T09:00:00+01:00");
    Schedule late = new Schedule(at, null, null, null, Missed.LAST);
    Schedule strict = new Schedule(at, null, null, null, Missed.NONE);
    Instant hourLate = t("2026-12-01T09:00:00Z");

    assertThat(Firings.first(late, t("2026-11-25T00:00:00Z"))).isEqualTo(t("2026-12-01T08:00:00Z"));
    assertThat(Firings.plan(late, at.toInstant(), hourLate, GRACE, 100))
        .isEqualTo(new Firings.Plan(List.of(at.toInstant()), List.of(), null));
    assertThat(Firings.plan(strict, at.toInstant(), hourLate, GRACE, 100))
        .isEqualTo(new Firings.Plan(List.of(), List.of(at.toInstant()), null));
  }
}

package io.gridrun.gateway.job;

import io.gridrun.platform.web.ApiProblem;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/schedules/next?cron=&timezone=&count=}: the next firings of a cron expression
 * in a time zone, evaluated as job-service evaluates a job's schedule, so a client can show them
 * while the user types.
 */
@RestController
class NextFiringsController {

  private static final int MAX_COUNT = 50;

  private final Clock clock;

  NextFiringsController() {
    this(Clock.systemUTC());
  }

  NextFiringsController(Clock clock) {
    this.clock = clock;
  }

  @GetMapping("/api/v1/schedules/next")
  NextFirings next(
      @RequestParam String cron,
      @RequestParam(defaultValue = "UTC") String timezone,
      @RequestParam(defaultValue = "5") int count) {
    if (count < 1 || count > MAX_COUNT) {
      throw ApiProblem.badRequest("count must be between 1 and " + MAX_COUNT);
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(timezone);
    } catch (DateTimeException e) {
      throw ApiProblem.badRequest(
          "timezone '" + timezone + "' is not an IANA time zone, e.g. Europe/Amsterdam");
    }
    org.springframework.scheduling.support.CronExpression expression;
    try {
      expression = JobOptionsParser.cron(cron);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("'" + cron + "' is not a valid cron expression");
    }
    List<String> firings = new ArrayList<>();
    ZonedDateTime at = clock.instant().atZone(zone);
    for (int i = 0; i < count; i++) {
      at = expression.next(at);
      if (at == null) {
        break;
      }
      firings.add(at.toOffsetDateTime().toString());
    }
    return new NextFirings(cron, zone.getId(), firings);
  }

  /** The next firings of a cron expression in a time zone, as ISO-8601 times with offset. */
  record NextFirings(String cron, String timezone, List<String> firings) {}
}

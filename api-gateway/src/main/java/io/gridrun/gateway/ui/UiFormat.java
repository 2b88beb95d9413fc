package io.gridrun.gateway.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the UI writes times and durations: UTC, to the second, the same on every page. */
public final class UiFormat {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private UiFormat() {}

  /** {@code 2026-11-30 09:46:08 UTC}; empty for null. */
  public static String time(Instant instant) {
    return instant == null ? "" : TIME.format(instant);
  }

  /** {@code 1h 2m 3s}, {@code 4.2s}; empty when either end is missing. */
  public static String duration(Instant from, Instant to) {
    if (from == null || to == null) {
      return "";
    }
    Duration d = Duration.between(from, to);
    if (d.toSeconds() < 60) {
      return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    StringBuilder text = new StringBuilder();
    if (d.toHours() > 0) {
      text.append(d.toHours()).append("h ");
    }
    if (d.toMinutesPart() > 0 || d.toHours() > 0) {
      text.append(d.toMinutesPart()).append("m ");
    }
    return text.append(d.toSecondsPart()).append('s').toString();
  }
}

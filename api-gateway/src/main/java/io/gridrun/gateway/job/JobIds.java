package io.gridrun.gateway.job;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Job ids that sort by creation time and are safe as file names: {@code j-20261125-063000-4f3a9c}.
 */
public final class JobIds {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private JobIds() {}

  public static String next(Instant now) {
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    return "j-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(random);
  }
}

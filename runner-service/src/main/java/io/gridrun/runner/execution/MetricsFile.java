package io.gridrun.runner.execution;

import io.gridrun.common.event.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Reads what a step reported in its metrics file: a flat JSON object of numbers, strings and
 * booleans. Anything else is ignored with a note; it never fails the step.
 *
 * <p>The file is the step's to write, so it is read without following links: a symbolic link (say,
 * to a host file the runner could read) or anything but a regular file gives no metrics and a note
 * in the step's log, and the open itself refuses a link swapped in meanwhile ({@code O_NOFOLLOW}).
 * At most {@code maxBytes + 1} bytes are read.
 */
public final class MetricsFile {

  /** The metrics, and a note for the step's log when the file was ignored. */
  public record Reading(Map<String, Object> metrics, String note) {}

  private MetricsFile() {}

  public static Reading read(Path file, int maxBytes) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException absent) {
      return new Reading(Map.of(), null);
    }
    if (attrs.isSymbolicLink()) {
      return ignored("it is a symbolic link; metrics are read from a regular file only");
    }
    if (!attrs.isRegularFile()) {
      return ignored("it is not a regular file");
    }
    try {
      if (attrs.size() > maxBytes) {
        return ignored("it has " + attrs.size() + " bytes, more than the limit of " + maxBytes);
      }
      byte[] content;
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        content = in.readNBytes(maxBytes + 1);
      }
      if (content.length > maxBytes) {
        return ignored("it has more than the limit of " + maxBytes + " bytes");
      }
      Object json =
          EventCodec.mapper().readValue(new String(content, StandardCharsets.UTF_8), Object.class);
      if (!(json instanceof Map<?, ?> map)) {
        return ignored("it is not a JSON object");
      }
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (var e : map.entrySet()) {
        Object v = e.getValue();
        if (!(v instanceof Number || v instanceof String || v instanceof Boolean)) {
          return ignored(
              "'" + e.getKey() + "' is not a number, string or boolean (the object must be flat)");
        }
        metrics.put(String.valueOf(e.getKey()), v);
      }
      return new Reading(metrics, null);
    } catch (JacksonException e) {
      return ignored("it is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return ignored("it could not be read: " + e.getMessage());
    }
  }

  private static Reading ignored(String why) {
    return new Reading(Map.of(), "metrics file ignored: " + why);
  }
}

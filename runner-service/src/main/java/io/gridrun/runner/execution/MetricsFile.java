package io.gridrun.runner.execution;

import io.gridrun.common.event.EventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Reads what a step reported in its metrics file: a flat JSON object of numbers, strings and
 * booleans. Anything else is ignored with a note; it never fails the step.
 */
public final class MetricsFile {

  /** The metrics, and a note for the step's log when the file was ignored. */
  public record Reading(Map<String, Object> metrics, String note) {}

  private MetricsFile() {}

  public static Reading read(Path file, int maxBytes) {
    if (!Files.isRegularFile(file)) {
      return new Reading(Map.of(), null);
    }
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        return ignored("it has " + size + " bytes, more than the limit of " + maxBytes);
      }
      Object json = EventCodec.mapper().readValue(Files.readString(file), Object.class);
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

package io.gridrun.gateway.webhook;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names webhooks subscribe to: {@code <job|run|step>.<what happened>}, e.g. {@code job.failed},
 * {@code job.succeeded}, {@code run.started}; {@code *} is every event.
 */
public final class EventNames {

  private static final Map<String, String> VERBS =
      Map.of(
          "PENDING", "pending",
          "STARTED", "started",
          "PAUSED", "paused",
          "SUCCESS", "succeeded",
          "FAILURE", "failed",
          "ABORTED", "aborted");

  public static final List<String> ENTITIES = List.of("job", "run", "step");

  private EventNames() {}

  /** The name of a status event, from its {@code type} ({@code job.status}) and {@code status}. */
  public static String of(String type, String status) {
    String entity = type == null ? "" : type.replace(".status", "");
    String verb = VERBS.getOrDefault(status, String.valueOf(status).toLowerCase(Locale.ROOT));
    return entity + "." + verb;
  }

  public static boolean isKnown(String name) {
    if ("*".equals(name)) {
      return true;
    }
    int dot = name.indexOf('.');
    return dot > 0
        && ENTITIES.contains(name.substring(0, dot))
        && VERBS.containsValue(name.substring(dot + 1));
  }
}

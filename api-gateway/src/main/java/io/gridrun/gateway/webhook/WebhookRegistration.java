package io.gridrun.gateway.webhook;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks a webhook registration; each problem is a sentence for a person. */
final class WebhookRegistration {

  private WebhookRegistration() {}

  record Request(String url, List<String> events, String secret) {}

  static Request parse(Map<?, ?> body, List<String> allowedHosts, List<String> problems) {
    String url = body.get("url") instanceof String s ? s : null;
    String secret = body.get("secret") instanceof String s ? s : null;
    List<String> events = new ArrayList<>();
    if (url == null || url.isBlank()) {
      problems.add("url is required");
    } else {
      checkUrl(url, allowedHosts, problems);
    }
    if (!(body.get("events") instanceof List<?> list) || list.isEmpty()) {
      problems.add("events must be a non-empty list such as [\"job.failed\", \"job.succeeded\"]");
    } else {
      for (Object e : list) {
        if (e instanceof String name && EventNames.isKnown(name)) {
          events.add(name);
        } else {
          problems.add(
              "event '"
                  + e
                  + "' is not one of <job|run|step>.<pending|started|paused|succeeded|failed|aborted> or *");
        }
      }
    }
    if (secret == null || secret.isEmpty()) {
      problems.add("secret is required: deliveries are signed with it (HMAC-SHA256)");
    }
    return new Request(url, events, secret);
  }

  private static void checkUrl(String url, List<String> allowedHosts, List<String> problems) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      problems.add("url '" + url + "' is not a valid URL");
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      problems.add("url must use http or https, not '" + uri.getScheme() + "'");
      return;
    }
    if (uri.getHost() == null) {
      problems.add("url '" + url + "' has no host");
      return;
    }
    if (!allowedHosts.isEmpty() && !hostAllowed(uri.getHost(), allowedHosts)) {
      problems.add(
          "host '" + uri.getHost() + "' is not in the allowed webhook hosts " + allowedHosts);
    }
  }

  static boolean hostAllowed(String host, List<String> allowedHosts) {
    String h = host.toLowerCase(Locale.ROOT);
    return allowedHosts.stream()
        .map(a -> a.toLowerCase(Locale.ROOT))
        .anyMatch(a -> a.startsWith("*.") ? h.endsWith(a.substring(1)) : h.equals(a));
  }
}

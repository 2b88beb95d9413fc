package io.gridrun.gateway.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks a webhook registration; each problem is a sentence for a person. */
final class WebhookRegistration {

  static final int MAX_URL_LENGTH = 2048;

  private WebhookRegistration() {}

  record Request(String url, List<String> events, String secret) {}

  static Request parse(Map<?, ?> body, List<String> problems) {
    String url = body.get("url") instanceof String s ? s : null;
    String secret = body.get("secret") instanceof String s ? s : null;
    List<String> events = new ArrayList<>();
    if (url == null || url.isBlank()) {
      problems.add("url is required");
    } else {
      checkUrl(url, problems);
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

  private static void checkUrl(String url, List<String> problems) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
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
    if (url.length() > MAX_URL_LENGTH) {
      problems.add("url is longer than " + MAX_URL_LENGTH + " characters");
    }
  }
}

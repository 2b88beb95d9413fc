package io.gridrun.gateway.secrets;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.secret.SecretBox;
import io.gridrun.gateway.config.LimitsProperties;
import io.gridrun.platform.web.ApiProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Turns the {@code secrets} of a job submission or an environment registration into sealed values
 * in its {@code env} before anything else reads the body: {@code {"env": {"A": "1"}, "secrets":
 * {"K": "v"}}} becomes {@code {"env": {"A": "1", "K": "gridrun:sealed:v1:…"}}}. Everything after
 * the gateway (Kafka, job-service, snapshot-service, MongoDB) only ever holds the sealed form; a
 * runner opens it into the step's environment. A value with the sealed prefix in a user's {@code
 * env} is refused, so only the gateway makes them.
 */
@Component
public class SecretSealer {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final SecretBox box;
  private final int maxValueBytes;

  @Autowired
  public SecretSealer(SecretsProperties properties, LimitsProperties limits) {
    this.box = box(properties);
    this.maxValueBytes = maxPlainBytes(limits.maxParameterBytes());
  }

  SecretSealer(SecretBox box, int maxParameterBytes) {
    this.box = box;
    this.maxValueBytes = maxPlainBytes(maxParameterBytes);
  }

  private static SecretBox box(SecretsProperties properties) {
    if (properties.key() != null && !properties.key().isBlank()) {
      return SecretBox.ofBase64(properties.key());
    }
    if (properties.keyFile() != null) {
      try {
        return SecretBox.ofFile(properties.keyFile());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "gridrun.secrets.key-file " + properties.keyFile() + " cannot be read", e);
      }
    }
    return null;
  }

  /**
   * The largest secret value whose sealed form (prefix, base64 of nonce, value and tag) stays
   * within the per-value limit that the job's and the environment's {@code env} values are held to.
   */
  static int maxPlainBytes(int maxParameterBytes) {
    return Math.max(0, (maxParameterBytes - SecretBox.PREFIX.length()) * 3 / 4 - 28);
  }

  /**
   * The body with its secrets sealed into {@code env}; the same bytes when it has neither secrets
   * nor sealed-looking values, or is not a JSON object (the owner of the route refuses it then).
   *
   * @throws ApiProblem {@code 400} for malformed secrets, a sealed-looking value in {@code env}, a
   *     value over the limit, or no key configured
   */
  public byte[] seal(byte[] body) {
    Map<String, Object> json = object(body);
    if (json == null || (!json.containsKey("secrets") && !sealedLooking(json.get("env")))) {
      return body;
    }
    List<String> problems = new ArrayList<>();
    if (sealedLooking(json.get("env"))) {
      problems.add(
          "env values must not start with '"
              + SecretBox.PREFIX
              + "' (gridrun's mark of a sealed secret); send secrets in 'secrets'");
    }
    Object secrets = json.remove("secrets");
    Map<String, String> plain = secrets(secrets, problems);
    if (!plain.isEmpty() && box == null) {
      problems.add(
          "this gridrun has no key for secrets: set gridrun.secrets.key or gridrun.secrets.key-file");
    }
    Object env = json.get("env");
    if (env != null && !(env instanceof Map)) {
      return body; // the route's own parser says what is wrong with env
    }
    Map<String, Object> merged = new LinkedHashMap<>();
    if (env instanceof Map<?, ?> vars) {
      vars.forEach((k, v) -> merged.put(String.valueOf(k), v));
    }
    plain.keySet().stream()
        .filter(merged::containsKey)
        .forEach(n -> problems.add("'" + n + "' is in both env and secrets; name it once"));
    if (!problems.isEmpty()) {
      throw new ApiProblem(
          org.springframework.http.HttpStatus.BAD_REQUEST,
          "Invalid request",
          String.join("; ", problems));
    }
    plain.forEach((name, value) -> merged.put(name, box.seal(name, value)));
    if (!merged.isEmpty() || env != null) {
      json.put("env", merged);
    }
    return EventCodec.mapper().writeValueAsBytes(json);
  }

  private Map<String, String> secrets(Object value, List<String> problems) {
    Map<String, String> secrets = new LinkedHashMap<>();
    if (value == null) {
      return secrets;
    }
    if (!(value instanceof Map<?, ?> vars)) {
      problems.add("secrets must be an object of variable name to value");
      return secrets;
    }
    vars.forEach(
        (k, v) -> {
          String name = String.valueOf(k);
          if (!NAME.matcher(name).matches()) {
            problems.add("secrets variable name '" + name + "' is not a valid variable name");
          } else if (v instanceof Map || v instanceof List || v == null) {
            problems.add("secrets." + name + " must be a string, number or boolean");
          } else {
            String text = String.valueOf(v);
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxValueBytes) {
              problems.add(
                  "secrets."
                      + name
                      + " is "
                      + bytes
                      + " bytes, more than the limit of "
                      + maxValueBytes
                      + " bytes per secret (what fits, sealed, in"
                      + " gridrun.gateway.limits.max-parameter-bytes)");
            } else {
              secrets.put(name, text);
            }
          }
        });
    return secrets;
  }

  private static boolean sealedLooking(Object env) {
    return env instanceof Map<?, ?> vars
        && vars.values().stream().anyMatch(v -> v instanceof String s && SecretBox.isSealed(s));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(byte[] body) {
    try {
      Object root = EventCodec.mapper().readValue(body, Object.class);
      return root instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    } catch (JacksonException | IllegalArgumentException e) {
      return null;
    }
  }
}

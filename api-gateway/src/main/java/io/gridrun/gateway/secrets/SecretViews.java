package io.gridrun.gateway.secrets;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.secret.SecretBox;
import io.gridrun.common.secret.SecretMasking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * What clients see of secrets in the owners' JSON (jobs, runs, environments, snapshots): every
 * {@code env} object loses its sealed values, which appear by name in a {@code secrets} object
 * beside it as {@value SecretBox#MASK}; any other sealed value anywhere becomes {@value
 * SecretBox#MASK}. JSON without sealed values is returned as it came.
 */
public final class SecretViews {

  private SecretViews() {}

  public static byte[] mask(byte[] json) {
    if (!contains(json)) {
      return json;
    }
    try {
      Object root = EventCodec.mapper().readValue(json, Object.class);
      return EventCodec.mapper().writeValueAsBytes(masked(root));
    } catch (JacksonException e) {
      return json;
    }
  }

  private static boolean contains(byte[] json) {
    String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
    return text.contains(SecretBox.PREFIX);
  }

  @SuppressWarnings("unchecked")
  private static Object masked(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), masked(v)));
      if (map.get("env") instanceof Map<?, ?> env) {
        Map<String, String> vars = new LinkedHashMap<>();
        env.forEach((k, v) -> vars.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        Map<String, String> secrets = SecretMasking.masked(vars);
        if (!secrets.isEmpty()) {
          Map<String, Object> plain = new LinkedHashMap<>();
          ((Map<String, Object>) map.get("env"))
              .forEach(
                  (k, v) -> {
                    if (!(v instanceof String s && SecretBox.isSealed(s))) {
                      plain.put(k, v);
                    }
                  });
          out.put("env", plain);
          Map<String, Object> listed = new LinkedHashMap<>();
          if (out.get("secrets") instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> listed.put(String.valueOf(k), SecretBox.MASK));
          }
          listed.putAll(secrets);
          out.put("secrets", listed);
        }
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(masked(v)));
      return out;
    }
    if (node instanceof String s && SecretBox.isSealed(s)) {
      return SecretBox.MASK;
    }
    return node;
  }
}

package io.gridrun.gateway.ui.jobs;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads what a user typed into a values field: a JSON list of values, or a single JSON value. */
final class JsonValues {

  static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private JsonValues() {}

  /** The values, or the parser's message. */
  record Parsed(List<Object> values, String error) {}

  static Parsed parse(String text) {
    if (text == null || text.isBlank()) {
      return new Parsed(List.of(), "enter a JSON value or a JSON list of values");
    }
    Object value;
    try {
      value = JSON.readValue(text, Object.class);
    } catch (JacksonException e) {
      return new Parsed(List.of(), message(e));
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        return new Parsed(List.of(), "give at least one value");
      }
      return new Parsed(new ArrayList<>(list), null);
    }
    List<Object> single = new ArrayList<>();
    single.add(value);
    return new Parsed(single, null);
  }

  /** The parser's own message with where it stopped (never the input echoed back in full). */
  private static String message(JacksonException e) {
    String message = e.getOriginalMessage();
    int cut = message.indexOf('\n');
    message = cut < 0 ? message : message.substring(0, cut);
    if (message.length() > 200) {
      message = message.substring(0, 200) + "…";
    }
    TokenStreamLocation at = e.getLocation();
    return at == null || at.getColumnNr() < 1
        ? "not valid JSON: " + message
        : "not valid JSON at column " + at.getColumnNr() + ": " + message;
  }

  /** A value as JSON text, as the form shows it. */
  static String text(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JacksonException e) {
      return String.valueOf(value);
    }
  }
}

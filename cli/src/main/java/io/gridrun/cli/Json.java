package io.gridrun.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The client's one JSON mapper and small helpers over Jackson's tree model. */
final class Json {

  private Json() {}

  private static final class Holder {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();
  }

  static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  static JsonNode parse(String text) {
    try {
      return mapper().readTree(text == null || text.isBlank() ? "null" : text);
    } catch (JacksonException e) {
      throw new CliException(Main.SERVER_ERROR, "the server answered something that is not JSON");
    }
  }

  /** The JSON in {@code text}, or null when it is not JSON. */
  static JsonNode tryParse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return mapper().readTree(text);
    } catch (JacksonException e) {
      return null;
    }
  }

  static ObjectNode object() {
    return mapper().createObjectNode();
  }

  static ArrayNode array() {
    return mapper().createArrayNode();
  }

  static String write(Object value) {
    return mapper().writeValueAsString(value);
  }

  /** A field as text, or null when missing or null. */
  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    return value.isValueNode() ? value.asString() : write(value);
  }

  /** How a value shows in a table: strings bare, everything else as JSON, null as "". */
  static String cell(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "";
    }
    return value.isString() ? value.asString() : write(value);
  }
}

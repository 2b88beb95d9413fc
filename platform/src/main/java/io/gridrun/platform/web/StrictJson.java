package io.gridrun.platform.web;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Deserializers that bind request fields as strictly as gridrun has always read them: Jackson's
 * default coercions ({@code "2"} to 2, 2.5 to 2, 5 to {@code "5"}) would accept what the API
 * refuses. A value of the wrong JSON type either binds as null (so that the field's "is required"
 * names it) or fails binding with the field's path, which the controller turns into the field's own
 * message.
 */
public final class StrictJson {

  private StrictJson() {}

  /** A JSON string; any other value binds as null (so "is required" names it). */
  public static final class TextOrNull extends ValueDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        return p.getString();
      }
      p.skipChildren();
      return null;
    }
  }

  /** A JSON string and nothing else. */
  public static final class Text extends ValueDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        return p.getString();
      }
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
  }

  /** A string, number or boolean, read as its text ({@code 30} is {@code "30"}). */
  public static final class ScalarText extends ValueDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() != null && p.currentToken().isScalarValue()) {
        return p.getString();
      }
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
  }

  /** A JSON integer that fits an {@code int}; no fractions, no strings. */
  public static final class WholeNumber extends ValueDeserializer<Integer> {
    @Override
    public Integer deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() == JsonParser.NumberType.INT) {
        return p.getIntValue();
      }
      return (Integer) ctxt.handleUnexpectedToken(Integer.class, p);
    }
  }

  /** A JSON integer that fits a {@code long}. */
  public static final class Index extends ValueDeserializer<Long> {
    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        return p.getLongValue();
      }
      return (Long) ctxt.handleUnexpectedToken(Long.class, p);
    }
  }

  /** A JSON array (its values as Jackson reads them); any other value binds as null. */
  public static final class ListOrNull extends ValueDeserializer<List<Object>> {
    @Override
    public List<Object> deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        p.skipChildren();
        return null;
      }
      List<Object> values = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        values.add(ctxt.readValue(p, Object.class));
      }
      return values;
    }
  }

  /** {@code true} or {@code false}. */
  public static final class Flag extends ValueDeserializer<Boolean> {
    @Override
    public Boolean deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() == JsonToken.VALUE_TRUE || p.currentToken() == JsonToken.VALUE_FALSE) {
        return p.getBooleanValue();
      }
      return (Boolean) ctxt.handleUnexpectedToken(Boolean.class, p);
    }
  }
}

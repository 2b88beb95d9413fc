package io.gridrun.gateway.job;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Deserializers that bind a submission's fields as strictly as gridrun has always read them:
 * Jackson's default coercions ({@code "2"} to 2, 2.5 to 2, 5 to {@code "5"}) would accept what the
 * API refuses. A value of the wrong JSON type fails binding with the field's path, which {@link
 * JobSubmissions} turns into the field's own message.
 */
final class StrictJson {

  private StrictJson() {}

  /** A JSON string; any other value binds as null (so "is required" names it). */
  static final class TextOrNull extends ValueDeserializer<String> {
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
  static final class Text extends ValueDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        return p.getString();
      }
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
  }

  /** A string, number or boolean, read as its text ({@code 30} is {@code "30"}). */
  static final class ScalarText extends ValueDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() != null && p.currentToken().isScalarValue()) {
        return p.getString();
      }
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
  }

  /** A JSON integer that fits an {@code int}; no fractions, no strings. */
  static final class WholeNumber extends ValueDeserializer<Integer> {
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
  static final class Index extends ValueDeserializer<Long> {
    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        return p.getLongValue();
      }
      return (Long) ctxt.handleUnexpectedToken(Long.class, p);
    }
  }

  /** {@code true} or {@code false}. */
  static final class Flag extends ValueDeserializer<Boolean> {
    @Override
    public Boolean deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() == JsonToken.VALUE_TRUE || p.currentToken() == JsonToken.VALUE_FALSE) {
        return p.getBooleanValue();
      }
      return (Boolean) ctxt.handleUnexpectedToken(Boolean.class, p);
    }
  }
}

package io.gridrun.common.event;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON form of {@link GridrunEvent}s as they travel over Kafka. Thread-safe. */
public final class EventCodec {

  private static final JsonMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private EventCodec() {}

  public static String encode(GridrunEvent event) {
    return MAPPER.writeValueAsString(event);
  }

  /**
   * @throws UndecodableEventException when the text is not a known event (a poison message)
   */
  public static GridrunEvent decode(String json) {
    try {
      GridrunEvent event = MAPPER.readValue(json, GridrunEvent.class);
      if (event == null || event.jobId() == null || event.eventId() == null) {
        throw new UndecodableEventException("event without eventId or jobId: " + abbreviate(json));
      }
      return event;
    } catch (JacksonException e) {
      throw new UndecodableEventException(
          "not a gridrun event (" + e.getOriginalMessage() + "): " + abbreviate(json), e);
    }
  }

  private static String abbreviate(String text) {
    return text == null || text.length() <= 200
        ? String.valueOf(text)
        : text.substring(0, 200) + "…";
  }

  /** The mapper used for events, shared so that all of gridrun writes JSON alike. */
  public static JsonMapper mapper() {
    return MAPPER;
  }
}

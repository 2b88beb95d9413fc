package io.gridrun.gateway.deadletters;

import java.time.Instant;

/**
 * One message parked on a dead-letter topic, as {@code GET /api/v1/dead-letters} lists it.
 *
 * @param topic the topic it was read from (what a replay publishes to)
 * @param partition its partition on {@code <topic>-dlt}
 * @param offset its offset on {@code <topic>-dlt}
 * @param key its key (a job id, or a run id on {@code gridrun.runs})
 * @param parkedAt when it was parked
 * @param error the exception that parked it (class and message, from Spring Kafka's headers)
 * @param value the message, unchanged
 */
public record DeadLetter(
    String topic,
    int partition,
    long offset,
    String key,
    Instant parkedAt,
    String error,
    String value) {}

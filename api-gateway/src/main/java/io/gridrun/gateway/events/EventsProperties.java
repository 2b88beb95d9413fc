package io.gridrun.gateway.events;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Server-sent events at {@code /api/v1/events}.
 *
 * @param clientBuffer live events buffered per client; a client that falls further behind catches
 *     up from the status topic instead, so a reading client never loses an event
 * @param stallTimeout a client that accepts nothing for this long while events wait for it is
 *     dropped with a final {@code dropped} event and may reconnect with its Last-Event-ID
 * @param heartbeat interval of comment lines that keep idle connections open
 * @param maxLag a client that falls more than this many events behind the status topic (it reads,
 *     but slower than events arrive) is dropped with a final {@code dropped} event; it may
 *     reconnect with its Last-Event-ID and resume from there
 * @param maxReplay the most events a reconnecting client may replay: a {@code Last-Event-ID}
 *     further behind the topic is answered {@code 410}
 */
@ConfigurationProperties("gridrun.gateway.events")
@Validated
public record EventsProperties(
    @DefaultValue("1000") @Min(1) int clientBuffer,
    @DefaultValue("30s") Duration stallTimeout,
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("100000") @Min(1) long maxLag,
    @DefaultValue("100000") @Min(1) long maxReplay) {}

package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One try of a step within a run attempt; a step with {@code retries} may have several.
 *
 * @param attempt 1 for the first try, 2 for the first retry…
 * @param exitCode the process exit code; null when the container never started
 * @param reason why the try failed; null when it succeeded
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepAttempt(
    int attempt, Integer exitCode, String reason, Instant startedAt, Instant finishedAt) {}

package io.gridrun.gateway.deadletters;

import io.gridrun.platform.web.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /api/v1/dead-letters}: admin only. Lists what the consumers parked on the dead-letter
 * topics (poison: undecodable or invalid messages, and messages that failed for another reason
 * after their retries) and replays one to the topic it came from.
 */
@RestController
class DeadLetterController {

  private static final int MAX_LIMIT = 1000;

  private final DeadLetterTopics topics;

  DeadLetterController(DeadLetterTopics topics) {
    this.topics = topics;
  }

  /** The answer of {@code GET /api/v1/dead-letters}. */
  record DeadLetters(List<DeadLetter> items) {}

  /** The answer of a replay: where the message went. */
  record Replayed(String topic, String key, int partition, long offset) {}

  @GetMapping("/api/v1/dead-letters")
  @Operation(summary = "List parked messages, oldest first per partition", tags = "operations")
  Mono<DeadLetters> list(
      @RequestParam(required = false) String topic, @RequestParam(defaultValue = "100") int limit) {
    if (topic != null && !DeadLetterTopics.SOURCES.contains(topic)) {
      return Mono.error(unknownTopic());
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      return Mono.error(ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT));
    }
    return Mono.fromCallable(() -> new DeadLetters(topics.list(topic, limit)))
        .subscribeOn(Schedulers.boundedElastic());
  }

  @PostMapping("/api/v1/dead-letters/{topic}/{partition}/{offset}/replay")
  @Operation(
      summary = "Publish a parked message again to the topic it came from",
      tags = "operations")
  Mono<ResponseEntity<Replayed>> replay(
      @PathVariable String topic, @PathVariable int partition, @PathVariable long offset) {
    if (!DeadLetterTopics.SOURCES.contains(topic)) {
      return Mono.error(unknownTopic());
    }
    return Mono.fromCallable(
            () -> {
              DeadLetter letter =
                  topics
                      .find(topic, partition, offset)
                      .orElseThrow(
                          () ->
                              ApiProblem.notFound(
                                  "no dead letter of "
                                      + topic
                                      + " at "
                                      + partition
                                      + "/"
                                      + offset));
              topics.replay(letter);
              return ResponseEntity.status(HttpStatus.ACCEPTED)
                  .body(new Replayed(letter.topic(), letter.key(), partition, offset));
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  private static RuntimeException unknownTopic() {
    return ApiProblem.badRequest(
        "topic must be one of " + String.join(", ", DeadLetterTopics.SOURCES));
  }
}

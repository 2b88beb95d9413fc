package io.gridrun.job.persistence;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The one place where the MongoDB adapters wait: the ports are synchronous, called on the listener
 * threads that handle a job's events one at a time, while the controllers use the reactive queries
 * directly. Every wait is bounded.
 */
final class Blocking {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Blocking() {}

  static <T> T await(Mono<T> result) {
    return result.block(TIMEOUT);
  }
}

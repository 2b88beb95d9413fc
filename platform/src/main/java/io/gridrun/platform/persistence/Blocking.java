package io.gridrun.platform.persistence;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Where a synchronous store method (called on a listener or worker thread, never on an event loop)
 * waits for the reactive driver: one place, bounded, so that a database that does not answer fails
 * the call instead of holding the thread.
 */
public final class Blocking {

  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Blocking() {}

  public static <T> T await(Mono<T> query) {
    return query.block(TIMEOUT);
  }
}

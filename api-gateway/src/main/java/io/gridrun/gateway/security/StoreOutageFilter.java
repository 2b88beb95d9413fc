package io.gridrun.gateway.security;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers {@code 503} with problem details, and {@code Retry-After}, when the gateway's database
 * cannot be reached (every authenticated request looks its token up there), instead of a {@code
 * 500}: the request was not taken, and the same request later will be. Wraps Spring Security's
 * chain, which does the lookup before any controller.
 */
final class StoreOutageFilter implements WebFilter, Ordered {

  /** Outside Spring Security's filter chain (-100) and the request guard (-200). */
  static final int ORDER = -300;

  static final String RETRY_AFTER_SECONDS = "5";

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return chain
        .filter(exchange)
        .onErrorResume(
            StoreOutageFilter::storeUnreachable,
            e -> {
              exchange.getResponse().getHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
              return ProblemResponses.write(
                  exchange,
                  HttpStatus.SERVICE_UNAVAILABLE,
                  "Service unavailable",
                  "the gateway's database cannot be reached just now; nothing was done, try again"
                      + " in a few seconds");
            });
  }

  /** The database is away (refused, timed out), as opposed to a request it refused. */
  static boolean storeUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataAccessResourceFailureException
          || t instanceof MongoTimeoutException
          || t instanceof MongoSocketException) {
        return true;
      }
    }
    return false;
  }
}

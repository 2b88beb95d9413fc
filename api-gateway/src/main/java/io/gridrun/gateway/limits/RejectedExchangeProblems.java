package io.gridrun.gateway.limits;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What Spring Security's firewall answers when it refuses a request outright (an encoded {@code /},
 * {@code \}, {@code ;} or {@code %} in the path, a {@code ..} segment, control characters): {@code
 * 400} as a problem detail, like every other refusal, instead of an empty body. The firewall's own
 * sentence names what it saw, so it is not echoed.
 */
@Component
class RejectedExchangeProblems implements ServerExchangeRejectedHandler {

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException e) {
    return FilterProblems.write(
        exchange,
        HttpStatus.BAD_REQUEST,
        "Malformed request",
        "The request was refused: its path or query has characters or segments that are not"
            + " allowed (an encoded '/', '\\\\', ';' or '%', a '.' or '..' segment, control or"
            + " unassigned characters).");
  }
}

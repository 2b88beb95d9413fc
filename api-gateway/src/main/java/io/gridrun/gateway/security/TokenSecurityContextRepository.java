package io.gridrun.gateway.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who calls, on every request: the token of an {@code Authorization: Bearer} header, else the token
 * the UI session holds (attribute {@value #SESSION_TOKEN}). Looked up each time, so a revoked token
 * stops working at once, in sessions too. Nothing is saved: signing in is {@link
 * LoginController}'s.
 */
@Component
public class TokenSecurityContextRepository implements ServerSecurityContextRepository {

  /** The WebSession attribute holding the raw token of a signed-in browser. */
  public static final String SESSION_TOKEN = "gridrun.token";

  private final Tokens tokens;

  TokenSecurityContextRepository(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
    return Mono.empty();
  }

  @Override
  public Mono<SecurityContext> load(ServerWebExchange exchange) {
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header != null) {
      return bearer(header)
          .map(tokens::find)
          .orElse(Mono.empty())
          .map(token -> context(new TokenAuthentication(token, false)));
    }
    return exchange
        .getSession()
        .flatMap(session -> Mono.justOrEmpty(session.<String>getAttribute(SESSION_TOKEN)))
        .flatMap(tokens::find)
        .map(token -> context(new TokenAuthentication(token, true)));
  }

  /** The token of a {@code Bearer} header value. */
  static java.util.Optional<String> bearer(String header) {
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = header.substring(7).strip();
      return token.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(token);
    }
    return java.util.Optional.empty();
  }

  private static SecurityContext context(TokenAuthentication authentication) {
    return new SecurityContextImpl(authentication);
  }
}

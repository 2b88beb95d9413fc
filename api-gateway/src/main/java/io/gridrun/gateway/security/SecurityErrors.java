package io.gridrun.gateway.security;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CsrfException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What a refused caller gets: a UI page without a session redirects to {@code /login}; everything
 * else is a problem detail, {@code 401} with {@code WWW-Authenticate: Bearer} without a valid
 * token, {@code 403 requires scope <scope>} with one too weak, {@code 403} without a CSRF token.
 */
final class SecurityErrors implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
    ServerHttpRequest request = exchange.getRequest();
    if (HttpMethod.GET.equals(request.getMethod())
        && ScopeRules.matches(ScopeRules.UI_PAGES, request.getPath().value())) {
      exchange.getResponse().setStatusCode(HttpStatus.SEE_OTHER);
      exchange.getResponse().getHeaders().setLocation(URI.create("/login"));
      return exchange.getResponse().setComplete();
    }
    boolean tokenSent = request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
    exchange
        .getResponse()
        .getHeaders()
        .set(
            HttpHeaders.WWW_AUTHENTICATE,
            tokenSent
                ? "Bearer realm=\"gridrun\", error=\"invalid_token\""
                : "Bearer realm=\"gridrun\"");
    return ProblemResponses.write(
        exchange,
        HttpStatus.UNAUTHORIZED,
        "Unauthorized",
        tokenSent
            ? "the token is not valid: unknown, revoked or not a Bearer token"
            : "send a token: Authorization: Bearer <token>");
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
    if (denied instanceof CsrfException) {
      return ProblemResponses.write(
          exchange,
          HttpStatus.FORBIDDEN,
          "Forbidden",
          "a request authenticated by the session cookie needs the CSRF token"
              + " (form field _csrf or header X-CSRF-TOKEN)");
    }
    Scope required = ScopeRules.required(exchange.getRequest()).orElse(Scope.READ);
    return exchange
        .getPrincipal()
        .map(
            principal ->
                principal instanceof TokenAuthentication token
                    ? Map.<String, Object>of(
                        "requiredScope", required.label(), "scope", token.scope().label())
                    : Map.<String, Object>of("requiredScope", required.label()))
        .defaultIfEmpty(Map.of("requiredScope", required.label()))
        .flatMap(
            properties ->
                ProblemResponses.write(
                    exchange,
                    HttpStatus.FORBIDDEN,
                    "Forbidden",
                    "requires scope " + required.label(),
                    properties));
  }
}

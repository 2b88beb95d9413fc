package io.gridrun.gateway.security;

import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Puts the request's CSRF token in every view's model as {@code _csrf}, for the UI's forms ({@code
 * <input type="hidden" th:name="${_csrf.parameterName}" th:value="${_csrf.token}">}) and its {@code
 * <meta name="_csrf">}. The token is made (and a session started) only when a view uses it.
 */
@ControllerAdvice
class CsrfModelAdvice {

  @ModelAttribute("_csrf")
  Mono<CsrfToken> csrf(ServerWebExchange exchange) {
    Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
    return token == null ? Mono.empty() : token;
  }
}

package io.gridrun.gateway.security;

import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.AntPathMatcher;

/**
 * Which scope a request needs: one table for the authorization decision and for the 403 that names
 * the missing scope.
 *
 * <ul>
 *   <li>open (empty): {@code /actuator/health}, {@code /login}, {@code /logout}, static assets, the
 *       OpenAPI document and Swagger UI;
 *   <li>{@code admin}: tokens, webhooks, dead letters, changes to environments, the other actuator
 *       endpoints;
 *   <li>{@code write}: step logs and every other unsafe method under {@code /api/v1};
 *   <li>{@code read}: every other {@code GET}, and the UI's pages.
 * </ul>
 */
public final class ScopeRules {

  /** Paths anyone may request. */
  public static final List<String> OPEN =
      List.of(
          "/actuator/health",
          "/actuator/health/**",
          "/login",
          "/logout",
          "/webjars/**",
          "/css/**",
          "/js/**",
          "/favicon.ico",
          // the OpenAPI document and Swagger UI: they describe the API and hold no data
          "/v3/api-docs",
          "/v3/api-docs/**",
          "/api/docs",
          "/api/docs/**",
          "/api/swagger-ui/**");

  /** The web UI's pages: without a session they redirect to {@code /login}. */
  public static final List<String> UI_PAGES =
      List.of("/", "/jobs/**", "/runs/**", "/environments/**", "/projects/**", "/snapshots/**");

  private static final AntPathMatcher PATHS = new AntPathMatcher();

  private ScopeRules() {}

  public static boolean matches(List<String> patterns, String path) {
    return patterns.stream().anyMatch(p -> PATHS.match(p, path));
  }

  /** The scope the request needs; empty when it is open to anyone. */
  public static Optional<Scope> required(ServerHttpRequest request) {
    String path = request.getPath().pathWithinApplication().value();
    HttpMethod method = request.getMethod();
    boolean reads =
        HttpMethod.GET.equals(method)
            || HttpMethod.HEAD.equals(method)
            || HttpMethod.OPTIONS.equals(method);
    if (matches(OPEN, path)) {
      return Optional.empty();
    }
    if (path.startsWith("/actuator")
        || under(path, "/api/v1/tokens")
        || under(path, "/api/v1/webhooks")
        || under(path, "/api/v1/dead-letters")
        || (under(path, "/api/v1/environments") && !reads)) {
      return Optional.of(Scope.ADMIN);
    }
    if (!path.startsWith("/api/")) {
      return Optional.of(Scope.READ);
    }
    if (!reads || PATHS.match("/api/v1/runs/*/steps/*/logs", path)) {
      return Optional.of(Scope.WRITE);
    }
    return Optional.of(Scope.READ);
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}

package io.gridrun.gateway.security;

import java.util.Optional;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;
import reactor.core.publisher.Mono;

/**
 * Who may do what on the gateway: API tokens ({@code Authorization: Bearer}) or the UI's session,
 * the scopes of {@link ScopeRules}, CSRF protection for cookie-authenticated changes, and the
 * Origin, Host and content-type checks of {@link RequestGuardFilter}. See docs/security.md.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

  /** The session cookie's name (WebFlux's default). */
  static final String SESSION_COOKIE = "SESSION";

  private static final Set<HttpMethod> SAFE =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

  @Bean
  SecurityWebFilterChain gatewaySecurity(
      ServerHttpSecurity http, TokenSecurityContextRepository contexts) {
    SecurityErrors errors = new SecurityErrors();
    return http.securityContextRepository(contexts)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        // same-origin, not Spring's no-referrer: under no-referrer browsers send "Origin: null"
        // with the UI's own form posts and htmx requests, which the Origin check refuses
        .headers(
            headers ->
                headers.referrerPolicy(
                    policy ->
                        policy.policy(
                            org.springframework.security.web.server.header
                                .ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.SAME_ORIGIN)))
        .csrf(
            csrf ->
                csrf.requireCsrfProtectionMatcher(SecurityConfiguration::needsCsrfToken)
                    .accessDeniedHandler(errors))
        .exceptionHandling(
            exceptions -> exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors))
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(ScopeRules.OPEN.toArray(String[]::new))
                    .permitAll()
                    .anyExchange()
                    .access(new ScopeAuthorization()))
        .build();
  }

  /**
   * Changes made with the session cookie need the CSRF token; with a {@code Bearer} header they do
   * not (a web page cannot make a browser send one). An API request with neither is left to fail
   * authentication with 401.
   */
  private static Mono<MatchResult> needsCsrfToken(
      org.springframework.web.server.ServerWebExchange exchange) {
    ServerHttpRequest request = exchange.getRequest();
    boolean needs =
        !SAFE.contains(request.getMethod())
            && !request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
            && (!request.getPath().value().startsWith("/api/")
                || request.getCookies().containsKey(SESSION_COOKIE));
    return needs ? MatchResult.match() : MatchResult.notMatch();
  }

  /** The request's scope ({@link ScopeRules}) against the caller's. */
  static final class ScopeAuthorization
      implements ReactiveAuthorizationManager<AuthorizationContext> {
    @Override
    public Mono<org.springframework.security.authorization.AuthorizationResult> authorize(
        Mono<Authentication> authentication, AuthorizationContext context) {
      Optional<Scope> required = ScopeRules.required(context.getExchange().getRequest());
      return authentication
          .filter(Authentication::isAuthenticated)
          .map(
              caller ->
                  new AuthorizationDecision(
                      required.isEmpty()
                          || caller instanceof TokenAuthentication token
                              && token.scope().covers(required.get())))
          .defaultIfEmpty(new AuthorizationDecision(required.isEmpty()))
          .cast(org.springframework.security.authorization.AuthorizationResult.class);
    }
  }

  @Bean
  RequestGuardFilter requestGuardFilter(SecurityProperties properties) {
    return new RequestGuardFilter(properties);
  }

  @Bean
  StoreOutageFilter storeOutageFilter() {
    return new StoreOutageFilter();
  }

  /** Tokens only: no user names and passwords (and no generated password at start). */
  @Bean
  ReactiveAuthenticationManager tokenAuthenticationManager() {
    return authentication -> Mono.empty();
  }

  /** The session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS. */
  @Bean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
  WebSessionManager webSessionManager() {
    CookieWebSessionIdResolver cookies = new CookieWebSessionIdResolver();
    cookies.setCookieName(SESSION_COOKIE);
    cookies.addCookieInitializer(cookie -> cookie.httpOnly(true).sameSite("Strict").path("/"));
    DefaultWebSessionManager sessions = new DefaultWebSessionManager();
    sessions.setSessionIdResolver(cookies);
    return sessions;
  }
}

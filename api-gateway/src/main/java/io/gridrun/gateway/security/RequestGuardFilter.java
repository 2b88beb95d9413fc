package io.gridrun.gateway.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses, before authentication, what a web page in a user's browser could make the browser send:
 *
 * <ul>
 *   <li>a request whose {@code Origin} is neither the gateway's own nor one of {@code
 *       gridrun.security.allowed-origins} (cross-site requests), whatever its credentials: 403;
 *   <li>a {@code Host} outside {@code gridrun.security.allowed-hosts} when that is set (DNS
 *       rebinding): 403;
 *   <li>a body that is not JSON (or a project archive on {@code PUT /api/v1/projects/…}, or a form
 *       posted to a UI page): 415. Browsers send form and {@code text/plain} bodies cross-site
 *       without asking; JSON they do not.
 * </ul>
 */
final class RequestGuardFilter implements WebFilter, Ordered {

  /** Before Spring Security's filter chain (-100). */
  static final int ORDER = -200;

  private static final List<MediaType> ARCHIVES =
      List.of(
          MediaType.parseMediaType("application/gzip"),
          MediaType.parseMediaType("application/x-gzip"),
          MediaType.APPLICATION_OCTET_STREAM);
  private static final List<MediaType> FORMS =
      List.of(MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA);
  private static final Set<HttpMethod> WITH_BODY =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final Set<String> allowedOrigins;
  private final Set<String> allowedHosts;

  RequestGuardFilter(SecurityProperties properties) {
    this.allowedOrigins =
        properties.allowedOrigins().stream()
            .map(RequestGuardFilter::normalizedOrigin)
            .collect(Collectors.toSet());
    this.allowedHosts =
        properties.allowedHosts().stream()
            .map(h -> h.strip().toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String host = request.getURI().getHost();
    if (!allowedHosts.isEmpty()
        && (host == null || !allowedHosts.contains(host.toLowerCase(Locale.ROOT)))) {
      return ProblemResponses.write(
          exchange,
          HttpStatus.FORBIDDEN,
          "Forbidden",
          "this gateway does not answer to that Host name (gridrun.security.allowed-hosts)");
    }
    String origin = request.getHeaders().getOrigin();
    if (origin != null && !originAllowed(origin, request)) {
      return ProblemResponses.write(
          exchange,
          HttpStatus.FORBIDDEN,
          "Forbidden",
          "requests from another origin are refused (gridrun.security.allowed-origins)");
    }
    if (hasBody(request) && !contentTypeAllowed(request)) {
      return ProblemResponses.write(
          exchange,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Unsupported media type",
          "send the body as application/json"
              + (isProjectUpload(request)
                  ? " (a project as application/gzip or application/octet-stream)"
                  : ""));
    }
    return chain.filter(exchange);
  }

  private boolean originAllowed(String origin, ServerHttpRequest request) {
    String normalized = normalizedOrigin(origin);
    URI own = request.getURI();
    return normalized.equals(normalizedOrigin(own.getScheme() + "://" + own.getRawAuthority()))
        || allowedOrigins.contains(normalized);
  }

  /** {@code scheme://host[:port]} in lower case, without the scheme's default port. */
  static String normalizedOrigin(String origin) {
    try {
      URI uri = URI.create(origin.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort =
          port == -1
              || (scheme.equals("http") && port == 80)
              || (scheme.equals("https") && port == 443);
      if (scheme.isEmpty() || host.isEmpty()) {
        return "invalid:" + origin;
      }
      return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    } catch (IllegalArgumentException e) {
      return "invalid:" + origin;
    }
  }

  private static boolean hasBody(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    return WITH_BODY.contains(request.getMethod())
        && (headers.getContentLength() > 0
            || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING));
  }

  private static boolean contentTypeAllowed(ServerHttpRequest request) {
    MediaType type;
    try {
      type = request.getHeaders().getContentType();
    } catch (InvalidMediaTypeException e) {
      return false;
    }
    if (type == null) {
      return false;
    }
    if (MediaType.APPLICATION_JSON.isCompatibleWith(type)
        || (type.getSubtype().endsWith("+json") && type.getType().equals("application"))) {
      return true;
    }
    if (isProjectUpload(request)) {
      return ARCHIVES.stream().anyMatch(a -> a.isCompatibleWith(type));
    }
    boolean api = request.getPath().value().startsWith("/api/");
    return !api && FORMS.stream().anyMatch(f -> f.isCompatibleWith(type));
  }

  private static boolean isProjectUpload(ServerHttpRequest request) {
    return HttpMethod.PUT.equals(request.getMethod())
        && request.getPath().value().startsWith("/api/v1/projects/");
  }
}

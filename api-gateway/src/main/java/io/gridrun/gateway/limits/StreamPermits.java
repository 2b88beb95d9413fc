package io.gridrun.gateway.limits;

import io.gridrun.gateway.config.LimitsProperties;
import io.gridrun.platform.web.ApiProblem;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Counts the long-lived streams (server-sent events, followed logs) each client holds open, and
 * refuses one more than {@code gridrun.gateway.limits.max-streams-per-client} with {@code 429}. A
 * client is its token (a hash of its {@code Authorization} header), or its address without one.
 */
@Component
public class StreamPermits {

  private final int max;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  public StreamPermits(LimitsProperties limits) {
    this.max = limits.maxStreamsPerClient();
  }

  /**
   * The stream, counted against its client while subscribed; an error {@code 429} right away when
   * the client already holds the most it may.
   */
  public <T> Flux<T> guard(ServerHttpRequest request, Flux<T> stream) {
    String client = clientOf(request);
    AtomicInteger count = open.computeIfAbsent(client, c -> new AtomicInteger());
    if (count.incrementAndGet() > max) {
      release(client, count);
      throw new ApiProblem(
          HttpStatus.TOO_MANY_REQUESTS,
          "Too many streams",
          "this client already holds "
              + max
              + " open event streams or followed logs, the limit"
              + " (gridrun.gateway.limits.max-streams-per-client); close one first");
    }
    return stream.doFinally(signal -> release(client, count));
  }

  private void release(String client, AtomicInteger count) {
    if (count.decrementAndGet() <= 0) {
      open.remove(client, count);
    }
  }

  /** How many streams a client holds open now, for tests and metrics. */
  public int openFor(ServerHttpRequest request) {
    AtomicInteger count = open.get(clientOf(request));
    return count == null ? 0 : count.get();
  }

  static String clientOf(ServerHttpRequest request) {
    String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization != null && !authorization.isBlank()) {
      return "token:" + sha256(authorization);
    }
    InetSocketAddress remote = request.getRemoteAddress();
    return "address:"
        + (remote == null || remote.getAddress() == null
            ? "unknown"
            : remote.getAddress().getHostAddress());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}

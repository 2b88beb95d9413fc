package io.gridrun.gateway.secrets;

import io.gridrun.gateway.limits.FilterProblems;
import io.gridrun.platform.web.ApiProblem;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where secrets meet HTTP, before and after the controllers (which never see a secret's value): the
 * body of a job submission, preview or environment registration has its {@code secrets} sealed into
 * {@code env} ({@link SecretSealer}); the JSON answers about jobs, runs, environments and snapshots
 * show secrets by name only ({@link SecretViews}). An ordinary filter, so it runs after
 * authentication.
 */
@Component
public class SecretsFilter implements WebFilter {

  /** Bodies are read whole to seal them; larger ones are refused (the parsers allow far less). */
  static final int MAX_BODY_BYTES = 16 << 20;

  private static final Pattern SEALED_ON_WRITE =
      Pattern.compile("/api/v1/jobs|/api/v1/jobs:preview|/api/v1/jobs/preview");
  private static final Pattern ENVIRONMENT = Pattern.compile("/api/v1/environments/[^/]+");
  private static final Pattern VIEWS =
      Pattern.compile("/api/v1/(jobs|runs|environments|snapshots)(/.*)?");

  private final SecretSealer sealer;

  public SecretsFilter(SecretSealer sealer) {
    this.sealer = sealer;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String path = request.getPath().pathWithinApplication().value();
    HttpMethod method = request.getMethod();
    boolean write =
        (method == HttpMethod.POST && SEALED_ON_WRITE.matcher(path).matches())
            || (method == HttpMethod.PUT && ENVIRONMENT.matcher(path).matches());
    ServerWebExchange masked =
        VIEWS.matcher(path).matches()
            ? exchange.mutate().response(masking(exchange)).build()
            : exchange;
    if (!write || !json(request.getHeaders().getContentType())) {
      return chain.filter(masked);
    }
    return DataBufferUtils.join(request.getBody(), MAX_BODY_BYTES)
        .map(SecretsFilter::bytes)
        .defaultIfEmpty(new byte[0])
        .flatMap(
            body -> {
              byte[] sealed = body.length == 0 ? body : sealer.seal(body);
              return chain.filter(masked.mutate().request(withBody(request, sealed)).build());
            })
        .onErrorResume(
            ApiProblem.class,
            e ->
                FilterProblems.write(
                    exchange, HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage()))
        .onErrorResume(
            DataBufferLimitException.class,
            e ->
                FilterProblems.write(
                    exchange,
                    HttpStatus.PAYLOAD_TOO_LARGE,
                    "Payload too large",
                    "the body is larger than " + MAX_BODY_BYTES + " bytes"));
  }

  private static boolean json(MediaType type) {
    return type != null
        && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
            || (type.getSubtype() != null && type.getSubtype().endsWith("+json")));
  }

  private static byte[] bytes(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }

  private static ServerHttpRequest withBody(ServerHttpRequest request, byte[] body) {
    HttpHeaders headers = new HttpHeaders();
    headers.putAll(request.getHeaders());
    headers.remove(HttpHeaders.TRANSFER_ENCODING);
    headers.setContentLength(body.length);
    return new ServerHttpRequestDecorator(request) {
      @Override
      public HttpHeaders getHeaders() {
        return headers;
      }

      @Override
      public Flux<DataBuffer> getBody() {
        return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
      }
    };
  }

  /** The response, its JSON shown with secrets by name only. */
  private static ServerHttpResponse masking(ServerWebExchange exchange) {
    ServerHttpResponse response = exchange.getResponse();
    return new ServerHttpResponseDecorator(response) {
      @Override
      public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        MediaType type = getHeaders().getContentType();
        if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
          return super.writeWith(body);
        }
        return DataBufferUtils.join(Flux.from(body))
            .flatMap(
                buffer -> {
                  byte[] masked = SecretViews.mask(bytes(buffer));
                  getHeaders().setContentLength(masked.length);
                  return super.writeWith(Mono.just(bufferFactory().wrap(masked)));
                });
      }
    };
  }
}

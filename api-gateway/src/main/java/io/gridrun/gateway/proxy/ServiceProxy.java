package io.gridrun.gateway.proxy;

import io.gridrun.platform.web.ApiProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Forwards a request unchanged (method, path, query, body, content type) to the service that owns
 * the data, and answers with that service's status, content type and body, so that the owner's JSON
 * shapes and problem details reach clients as they are.
 */
@Component
public class ServiceProxy {

  private static final List<String> FORWARDED_RESPONSE_HEADERS =
      List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION, HttpHeaders.CONTENT_DISPOSITION);

  private final WebClient client;

  public ServiceProxy(WebClient serviceClient) {
    this.client = serviceClient;
  }

  public Mono<ResponseEntity<byte[]>> forward(URI service, ServerHttpRequest request) {
    URI target;
    try {
      target =
          new URI(
              service.toString().replaceAll("/$", "")
                  + request.getURI().getRawPath()
                  + (request.getURI().getRawQuery() == null
                      ? ""
                      : "?" + request.getURI().getRawQuery()));
    } catch (URISyntaxException e) {
      // characters a URL must encode ("[", "]", spaces…) arrived raw
      return Mono.error(
          ApiProblem.badRequest(
              "the request's path or query holds characters that must be percent-encoded"));
    }
    WebClient.RequestBodySpec spec =
        client
            .method(request.getMethod())
            .uri(target)
            .headers(
                headers -> {
                  copy(request.getHeaders(), headers, HttpHeaders.CONTENT_TYPE);
                  copy(request.getHeaders(), headers, HttpHeaders.ACCEPT);
                });
    boolean hasBody =
        request.getMethod() == HttpMethod.PUT
            || request.getMethod() == HttpMethod.POST
            || request.getMethod() == HttpMethod.PATCH;
    WebClient.RequestHeadersSpec<?> ready =
        hasBody ? spec.body(BodyInserters.fromDataBuffers(request.getBody())) : spec;
    return ready
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(byte[].class)
                    .defaultIfEmpty(new byte[0])
                    .map(
                        body -> {
                          HttpHeaders headers = new HttpHeaders();
                          FORWARDED_RESPONSE_HEADERS.forEach(
                              h -> copy(response.headers().asHttpHeaders(), headers, h));
                          return ResponseEntity.status(response.statusCode())
                              .headers(headers)
                              .body(body);
                        }))
        .onErrorMap(
            WebClientRequestException.class,
            e -> ApiProblem.unavailable("a gridrun service could not be reached"));
  }

  private static void copy(HttpHeaders from, HttpHeaders to, String name) {
    List<String> values = from.get(name);
    if (values != null) {
      to.put(name, values);
    }
  }
}

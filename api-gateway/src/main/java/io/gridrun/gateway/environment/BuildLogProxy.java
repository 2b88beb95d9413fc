package io.gridrun.gateway.environment;

import io.gridrun.gateway.config.GatewayProperties;
import io.gridrun.platform.web.ApiProblem;
import java.net.URI;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An environment's build log from snapshot-service, streamed as it arrives (the general proxy
 * buffers whole answers, which would hold a followed log until the build ends).
 */
@RestController
class BuildLogProxy {

  private final WebClient client;
  private final GatewayProperties properties;

  BuildLogProxy(WebClient serviceClient, GatewayProperties properties) {
    this.client = serviceClient;
    this.properties = properties;
  }

  @GetMapping("/api/v1/environments/{name}/builds/{version}/log")
  Mono<ResponseEntity<Flux<DataBuffer>>> log(ServerHttpRequest request) {
    URI target =
        URI.create(
            properties.snapshotServiceUrl().toString().replaceAll("/$", "")
                + request.getURI().getRawPath()
                + (request.getURI().getRawQuery() == null
                    ? ""
                    : "?" + request.getURI().getRawQuery()));
    return client
        .get()
        .uri(target)
        .retrieve()
        // a 404 problem detail is passed on as it is, like a log
        .onStatus(status -> status.isError(), response -> Mono.empty())
        .toEntityFlux(DataBuffer.class)
        .map(
            entity -> {
              HttpHeaders headers = new HttpHeaders();
              if (entity.getHeaders().getContentType() != null) {
                headers.setContentType(entity.getHeaders().getContentType());
              }
              return ResponseEntity.status(entity.getStatusCode())
                  .headers(headers)
                  .body(entity.getBody());
            })
        .onErrorMap(
            WebClientRequestException.class,
            e -> ApiProblem.unavailable("snapshot-service could not be reached"));
  }
}

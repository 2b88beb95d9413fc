package io.gridrun.gateway.job;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.pipeline.EnvironmentNames;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.gateway.config.GatewayProperties;
import io.gridrun.platform.web.ApiProblem;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** What the gateway asks snapshot-service while validating a job. */
@Component
public class SnapshotServiceClient {

  private final WebClient client;
  private final GatewayProperties properties;

  public SnapshotServiceClient(WebClient serviceClient, GatewayProperties properties) {
    this.client = serviceClient;
    this.properties = properties;
  }

  /** The pipeline as the project has it now; a 4xx from the owner becomes an invalid request. */
  public Mono<PipelineDefinition> pipeline(String project, String path) {
    String uri =
        UriComponentsBuilder.fromUri(properties.snapshotServiceUrl())
            .path("/internal/projects/{project}/pipeline")
            .queryParam("path", "{path}")
            .buildAndExpand(project, path)
            .encode()
            .toUriString();
    return client
        .get()
        .uri(java.net.URI.create(uri))
        .exchangeToMono(
            response ->
                response.statusCode().is2xxSuccessful()
                    ? response
                        .bodyToMono(String.class)
                        .map(json -> EventCodec.mapper().readValue(json, PipelineDefinition.class))
                    : rejection(response))
        .onErrorMap(WebClientRequestException.class, SnapshotServiceClient::unavailable);
  }

  /** The pipeline definition recorded in an existing snapshot, for a job that re-uses it. */
  public Mono<PipelineDefinition> snapshotPipeline(String snapshotId) {
    if (!io.gridrun.common.pipeline.ProjectPaths.isSafeName(snapshotId)) {
      return Mono.error(
          new InvalidJobRequestException("snapshot '" + snapshotId + "' does not exist"));
    }
    return client
        .get()
        .uri(properties.snapshotServiceUrl().resolve("/api/v1/snapshots/" + snapshotId))
        .exchangeToMono(
            response -> {
              if (response.statusCode().value() == 404) {
                return response
                    .releaseBody()
                    .then(
                        Mono.<PipelineDefinition>error(
                            new InvalidJobRequestException(
                                "snapshot '" + snapshotId + "' does not exist")));
              }
              if (!response.statusCode().is2xxSuccessful()) {
                return rejection(response);
              }
              return response
                  .bodyToMono(String.class)
                  .map(
                      json ->
                          EventCodec.mapper()
                              .convertValue(
                                  EventCodec.mapper().readValue(json, Map.class).get("definition"),
                                  PipelineDefinition.class));
            })
        .onErrorMap(WebClientRequestException.class, SnapshotServiceClient::unavailable);
  }

  /** Whether an environment of that name is registered. */
  public Mono<Boolean> environmentExists(String name) {
    if (!EnvironmentNames.isValid(name)) {
      return Mono.just(false);
    }
    java.net.URI uri =
        UriComponentsBuilder.fromUri(properties.snapshotServiceUrl())
            .path("/api/v1/environments/{name}")
            .buildAndExpand(name)
            .encode()
            .toUri();
    return client
        .get()
        .uri(uri)
        .exchangeToMono(
            response -> {
              if (response.statusCode().is2xxSuccessful()) {
                return response.releaseBody().thenReturn(true);
              }
              if (response.statusCode().value() == 404) {
                return response.releaseBody().thenReturn(false);
              }
              return response
                  .releaseBody()
                  .then(Mono.error(ApiProblem.unavailable("snapshot-service could not be asked")));
            })
        .onErrorMap(WebClientRequestException.class, SnapshotServiceClient::unavailable);
  }

  /**
   * An environment as a job needs it: registered or not, and when gridrun builds it, whether it has
   * a {@code READY} version (else {@code notReady} says why).
   */
  public record EnvironmentState(
      String name, boolean registered, String notReady, boolean network) {

    public EnvironmentState(String name, boolean registered, String notReady) {
      this(name, registered, notReady, false);
    }
  }

  /** What snapshot-service says of an environment, for a job about to use it. */
  public Mono<EnvironmentState> environmentState(String name) {
    return client
        .get()
        .uri(properties.snapshotServiceUrl().resolve("/api/v1/environments/").resolve(name))
        .exchangeToMono(
            response -> {
              if (response.statusCode().is2xxSuccessful()) {
                return response
                    .bodyToMono(String.class)
                    .defaultIfEmpty("{}")
                    .map(body -> stateOf(name, body));
              }
              if (response.statusCode().value() == 404) {
                return response.releaseBody().thenReturn(new EnvironmentState(name, false, null));
              }
              return response
                  .releaseBody()
                  .then(
                      Mono.<EnvironmentState>error(
                          ApiProblem.unavailable("snapshot-service could not be asked")));
            })
        .onErrorMap(WebClientRequestException.class, SnapshotServiceClient::unavailable);
  }

  /** A built environment is usable once one version is READY (the view's {@code image} is set). */
  static EnvironmentState stateOf(String name, String body) {
    Map<?, ?> view;
    try {
      view = EventCodec.mapper().readValue(body, Map.class);
    } catch (RuntimeException notJson) {
      return new EnvironmentState(name, true, null);
    }
    Object status = view.get("status");
    boolean network = Boolean.TRUE.equals(view.get("network"));
    if (status == null || "READY".equals(status) || view.get("image") != null) {
      return new EnvironmentState(name, true, null, network);
    }
    Object reason = view.get("reason");
    return new EnvironmentState(
        name,
        true,
        "version " + view.get("version") + " is " + status + (reason != null ? ": " + reason : ""),
        network);
  }

  private static <T> Mono<T> rejection(ClientResponse response) {
    if (response.statusCode().is5xxServerError()) {
      return response
          .releaseBody()
          .then(Mono.error(ApiProblem.unavailable("snapshot-service failed to read the pipeline")));
    }
    return response
        .bodyToMono(String.class)
        .defaultIfEmpty("{}")
        .flatMap(
            body -> {
              Object detail = readDetail(body);
              return Mono.error(
                  new InvalidJobRequestException(
                      detail != null ? detail.toString() : "the pipeline could not be read"));
            });
  }

  private static Object readDetail(String body) {
    try {
      return EventCodec.mapper().readValue(body, Map.class).get("detail");
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  static ApiProblem unavailable(Throwable cause) {
    return new ApiProblem(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Service unavailable",
        "a gridrun service could not be reached");
  }
}

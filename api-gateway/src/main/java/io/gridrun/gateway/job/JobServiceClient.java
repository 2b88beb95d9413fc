package io.gridrun.gateway.job;

import io.gridrun.gateway.config.GatewayProperties;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** What the gateway asks job-service for its own decisions (reads for clients are proxied). */
@Component
public class JobServiceClient {

  private static final Duration POLL = Duration.ofMillis(25);

  private final WebClient client;
  private final GatewayProperties properties;

  public JobServiceClient(WebClient serviceClient, GatewayProperties properties) {
    this.client = serviceClient;
    this.properties = properties;
  }

  /** Completes when job-service shows the job, or after {@code maxWait} in any case. */
  public Mono<Void> awaitVisible(String jobId, Duration maxWait) {
    Mono<Boolean> visible =
        client
            .get()
            .uri(properties.jobServiceUrl().resolve("/api/v1/jobs/" + jobId))
            .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().is2xxSuccessful()))
            .onErrorReturn(false);
    return visible
        .filter(Boolean::booleanValue)
        .repeatWhenEmpty(attempts -> attempts.delayElements(POLL))
        .timeout(maxWait, Mono.just(false))
        .then();
  }

  /** The job as JSON text, or empty if job-service does not know it. */
  public Mono<String> job(String jobId) {
    return fetch("/api/v1/jobs/{id}", jobId);
  }

  /** The run as JSON text, or empty if job-service does not know it. */
  public Mono<String> run(String runId) {
    return fetch("/api/v1/runs/{id}", runId);
  }

  /** The id is one path segment, every reserved character encoded, whatever a client sent. */
  private Mono<String> fetch(String template, String id) {
    java.net.URI uri =
        org.springframework.web.util.UriComponentsBuilder.fromUri(properties.jobServiceUrl())
            .path(template)
            .encode()
            .buildAndExpand(id)
            .toUri();
    return client
        .get()
        .uri(uri)
        .exchangeToMono(
            r ->
                r.statusCode().is2xxSuccessful()
                    ? r.bodyToMono(String.class)
                    : r.releaseBody().then(Mono.empty()))
        .onErrorMap(
            org.springframework.web.reactive.function.client.WebClientRequestException.class,
            SnapshotServiceClient::unavailable);
  }
}

package io.gridrun.gateway.webhook;

import io.gridrun.gateway.outbound.AddressGuard;
import io.gridrun.gateway.outbound.GuardedResolverGroup;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Sends webhook requests, only to addresses the {@link AddressGuard} allows: the host is checked
 * before the request (an address literal never reaches a resolver) and resolved again, through the
 * guard, by the connection itself, which then goes to the checked address. Redirects are not
 * followed.
 */
@Component
public class WebhookClient {

  private final AddressGuard guard;
  private final WebClient client;

  public WebhookClient(AddressGuard guard) {
    this.guard = guard;
    HttpClient http =
        HttpClient.create().resolver(new GuardedResolverGroup(guard)).followRedirect(false);
    this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
  }

  /** POSTs the JSON body; the receiver's status code, or an error. */
  public Mono<Integer> post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
    return Mono.fromCallable(() -> guard.check(url.getHost()))
        .subscribeOn(Schedulers.boundedElastic())
        .then(
            Mono.defer(
                () ->
                    client
                        .post()
                        .uri(url)
                        .contentType(MediaType.APPLICATION_JSON)
                        .headers(h -> headers.forEach(h::set))
                        .bodyValue(body)
                        .exchangeToMono(
                            response ->
                                response.releaseBody().thenReturn(response.statusCode().value()))
                        .timeout(timeout)));
  }
}

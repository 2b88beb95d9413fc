package io.gridrun.gateway.webhook;

import io.gridrun.common.event.EventCodec;
import io.gridrun.gateway.outbound.AddressGuard;
import io.gridrun.gateway.outbound.RefusedAddressException;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.Pages;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;

@RestController
class WebhookController {

  private final WebhookStore store;
  private final AddressGuard guard;

  WebhookController(WebhookStore store, AddressGuard guard) {
    this.store = store;
    this.guard = guard;
  }

  @PostMapping("/api/v1/webhooks")
  Mono<ResponseEntity<Map<String, Object>>> register(@RequestBody(required = false) String body) {
    Object json;
    try {
      json = EventCodec.mapper().readValue(body == null ? "" : body, Object.class);
    } catch (JacksonException e) {
      return Mono.error(ApiProblem.badRequest("the body is not valid JSON"));
    }
    if (!(json instanceof Map<?, ?> fields)) {
      return Mono.error(
          ApiProblem.badRequest(
              "the body must be a JSON object like {\"url\": …, \"events\": […], \"secret\": …}"));
    }
    List<String> problems = new ArrayList<>();
    WebhookRegistration.Request request = WebhookRegistration.parse(fields, problems);
    if (!problems.isEmpty()) {
      return Mono.error(invalid(problems));
    }
    return Mono.fromCallable(() -> guard.check(URI.create(request.url()).getHost()))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(
            UnknownHostException.class,
            e ->
                invalid(
                    List.of(
                        e instanceof RefusedAddressException
                            ? e.getMessage()
                            : "url host '"
                                + URI.create(request.url()).getHost()
                                + "' could not be resolved")))
        .then(
            Mono.defer(
                () ->
                    store.save(
                        new Webhook(
                            "wh-" + UUID.randomUUID(),
                            request.url(),
                            request.events(),
                            request.secret(),
                            Instant.now()))))
        .map(
            saved ->
                ResponseEntity.created(URI.create("/api/v1/webhooks/" + saved.id()))
                    .body(view(saved)));
  }

  @GetMapping("/api/v1/webhooks")
  Mono<Map<String, Object>> list(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return store
        .page(page, size)
        .map(WebhookController::view)
        .collectList()
        .zipWith(store.count(), (items, total) -> Pages.of(items, page, size, total));
  }

  @GetMapping("/api/v1/webhooks/{id}")
  Mono<Map<String, Object>> get(@PathVariable String id) {
    return store.find(id).map(WebhookController::view).switchIfEmpty(Mono.error(() -> unknown(id)));
  }

  @DeleteMapping("/api/v1/webhooks/{id}")
  Mono<ResponseEntity<Void>> delete(@PathVariable String id) {
    return store
        .delete(id)
        .flatMap(
            deleted ->
                deleted
                    ? Mono.just(ResponseEntity.noContent().<Void>build())
                    : Mono.error(unknown(id)));
  }

  @GetMapping("/api/v1/webhooks/{id}/deliveries")
  Mono<Map<String, Object>> deliveries(
      @PathVariable String id,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return store
        .find(id)
        .switchIfEmpty(Mono.error(() -> unknown(id)))
        .flatMap(
            webhook ->
                store
                    .deliveries(id, page, size)
                    .map(WebhookDelivery::view)
                    .collectList()
                    .zipWith(
                        store.deliveryCount(id),
                        (items, total) -> Pages.of(items, page, size, total)));
  }

  private static ApiProblem invalid(List<String> problems) {
    ApiProblem problem =
        new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid webhook", String.join("; ", problems));
    problem.getBody().setProperty("errors", problems);
    return problem;
  }

  private static ApiProblem unknown(String id) {
    return ApiProblem.notFound("unknown webhook '" + id + "'");
  }

  private static Map<String, Object> view(Webhook webhook) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", webhook.id());
    view.put("url", webhook.url());
    view.put("events", webhook.events());
    view.put("createdAt", webhook.createdAt());
    return view;
  }
}

package io.gridrun.gateway.webhook;

import io.gridrun.gateway.outbound.AddressGuard;
import io.gridrun.gateway.outbound.RefusedAddressException;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.BeanChecks;
import io.gridrun.platform.web.Page;
import io.gridrun.platform.web.Pages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
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
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

@RestController
class WebhookController {

  private final WebhookStore store;
  private final AddressGuard guard;

  WebhookController(WebhookStore store, AddressGuard guard) {
    this.store = store;
    this.guard = guard;
  }

  @PostMapping("/api/v1/webhooks")
  @Operation(summary = "Register a webhook", tags = "webhooks")
  @ApiResponse(responseCode = "201", description = "registered; Location: /api/v1/webhooks/{id}")
  Mono<ResponseEntity<WebhookView>> register(
      @RequestBody(required = false) Mono<WebhookRequest> body) {
    return body.onErrorMap(ServerWebInputException.class, WebhookController::unreadable)
        .switchIfEmpty(Mono.error(WebhookController::notAnObject))
        .flatMap(this::register);
  }

  private Mono<ResponseEntity<WebhookView>> register(WebhookRequest request) {
    List<String> problems = BeanChecks.problems(request, WebhookRequest.FIELDS);
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
                            request.eventNames(),
                            request.secret(),
                            Instant.now()))))
        .map(
            saved ->
                ResponseEntity.created(URI.create("/api/v1/webhooks/" + saved.id()))
                    .body(view(saved)));
  }

  @GetMapping("/api/v1/webhooks")
  Mono<Page<WebhookView>> list(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return store
        .page(page, size)
        .map(WebhookController::view)
        .collectList()
        .zipWith(store.count(), (items, total) -> new Page<>(items, page, size, total));
  }

  @GetMapping("/api/v1/webhooks/{id}")
  Mono<WebhookView> get(@PathVariable String id) {
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
  Mono<Page<WebhookDelivery.View>> deliveries(
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
                        (items, total) -> new Page<>(items, page, size, total)));
  }

  /** Malformed JSON, or JSON that is not an object (every field binds leniently). */
  private static Throwable unreadable(ServerWebInputException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof DatabindException) {
        return notAnObject();
      }
      if (cause instanceof JacksonException) {
        return ApiProblem.badRequest("the body is not valid JSON");
      }
    }
    return e;
  }

  private static ApiProblem notAnObject() {
    return ApiProblem.badRequest(
        "the body must be a JSON object like {\"url\": …, \"events\": […], \"secret\": …}");
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

  private static WebhookView view(Webhook webhook) {
    return new WebhookView(webhook.id(), webhook.url(), webhook.events(), webhook.createdAt());
  }

  /** A webhook as the API shows it: never its secret. */
  record WebhookView(String id, String url, List<String> events, Instant createdAt) {}
}

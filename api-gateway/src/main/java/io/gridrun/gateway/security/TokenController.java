package io.gridrun.gateway.security;

import io.gridrun.common.event.EventCodec;
import io.gridrun.platform.web.ApiProblem;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * {@code /api/v1/tokens}: admin only (see {@link ScopeRules}). A value is shown once, at creation.
 */
@RestController
class TokenController {

  private final Tokens tokens;

  TokenController(Tokens tokens) {
    this.tokens = tokens;
  }

  @PostMapping("/api/v1/tokens")
  Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody(required = false) String body) {
    Map<?, ?> json;
    try {
      json = EventCodec.mapper().readValue(body == null ? "" : body, Map.class);
    } catch (JacksonException | ClassCastException e) {
      return Mono.error(ApiProblem.badRequest("the body is not a JSON object"));
    }
    if (json == null) {
      return Mono.error(ApiProblem.badRequest("the body is not a JSON object"));
    }
    Object name = json.get("name");
    Object scope = json.get("scope");
    if (name != null && !(name instanceof String)) {
      return Mono.error(ApiProblem.badRequest("name must be a string"));
    }
    Scope parsed = scope instanceof String label ? Scope.parse(label).orElse(null) : null;
    if (parsed == null) {
      return Mono.error(ApiProblem.badRequest("scope must be one of read, write, admin"));
    }
    return tokens
        .create((String) name, parsed)
        .map(
            created -> {
              Map<String, Object> view = view(created.token());
              view.put("token", created.value());
              view.put("createdAt", created.token().createdAt());
              return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.token().id()))
                  .body(view);
            });
  }

  @GetMapping("/api/v1/tokens")
  Mono<List<Map<String, Object>>> list() {
    return tokens.all().map(TokenController::view).collectList();
  }

  @DeleteMapping("/api/v1/tokens/{idOrName}")
  Mono<ResponseEntity<Void>> revoke(@PathVariable String idOrName) {
    return tokens
        .revoke(idOrName)
        .flatMap(
            removed ->
                removed
                    ? Mono.just(ResponseEntity.noContent().<Void>build())
                    : Mono.error(ApiProblem.notFound("unknown token '" + idOrName + "'")));
  }

  private static Map<String, Object> view(ApiToken token) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", token.id());
    view.put("name", token.name());
    view.put("scope", token.scope().label());
    view.put("createdAt", token.createdAt());
    return view;
  }
}

package io.gridrun.gateway.security;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.BeanChecks;
import io.gridrun.platform.web.StrictJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * {@code /api/v1/tokens}: admin only (see {@link ScopeRules}). A value is shown once, at creation.
 */
@RestController
class TokenController {

  private final Tokens tokens;

  TokenController(Tokens tokens) {
    this.tokens = tokens;
  }

  /** The body of {@code POST /api/v1/tokens}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @Schema(example = "{\"name\": \"ci\", \"scope\": \"read\"}")
  record TokenRequest(
      @Schema(description = "optional, unique, 1–64 of A-Z a-z 0-9 . _ -", example = "ci")
          @JsonDeserialize(using = StrictJson.Text.class)
          String name,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              allowableValues = {"read", "write", "admin"})
          @JsonDeserialize(using = StrictJson.TextOrNull.class)
          @NotNull(message = SCOPES)
          @Pattern(regexp = "read|write|admin", message = SCOPES)
          String scope) {}

  /** A token as the API lists it: never its value. */
  record TokenView(String id, String name, String scope, Instant createdAt) {}

  /** A token just made: its value, shown this once. */
  record CreatedToken(String id, String name, String scope, Instant createdAt, String token) {}

  private static final String SCOPES = "scope must be one of read, write, admin";

  @PostMapping("/api/v1/tokens")
  @Operation(summary = "Make a token; its value is shown once", tags = "tokens")
  @ApiResponse(responseCode = "201", description = "made; Location: /api/v1/tokens/{id}")
  Mono<ResponseEntity<CreatedToken>> create(
      @RequestBody(required = false) Mono<TokenRequest> body) {
    return body.onErrorMap(ServerWebInputException.class, TokenController::unreadable)
        .switchIfEmpty(Mono.error(() -> ApiProblem.badRequest("the body is not a JSON object")))
        .flatMap(this::create);
  }

  private Mono<ResponseEntity<CreatedToken>> create(TokenRequest request) {
    List<String> problems = BeanChecks.problems(request, List.of("name", "scope"));
    if (!problems.isEmpty()) {
      return Mono.error(ApiProblem.badRequest(problems.get(0)));
    }
    Scope scope = Scope.parse(request.scope()).orElseThrow();
    return tokens
        .create(request.name(), scope)
        .map(
            created -> {
              ApiToken token = created.token();
              return ResponseEntity.created(URI.create("/api/v1/tokens/" + token.id()))
                  .body(
                      new CreatedToken(
                          token.id(),
                          token.name(),
                          token.scope().label(),
                          token.createdAt(),
                          created.value()));
            });
  }

  /** A wrongly typed name is named; anything else unreadable is not a JSON object. */
  private static Throwable unreadable(ServerWebInputException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof DatabindException bind
          && !bind.getPath().isEmpty()
          && "name".equals(bind.getPath().get(0).getPropertyName())) {
        return ApiProblem.badRequest("name must be a string");
      }
    }
    return ApiProblem.badRequest("the body is not a JSON object");
  }

  @GetMapping("/api/v1/tokens")
  Mono<List<TokenView>> list() {
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

  private static TokenView view(ApiToken token) {
    return new TokenView(token.id(), token.name(), token.scope().label(), token.createdAt());
  }
}

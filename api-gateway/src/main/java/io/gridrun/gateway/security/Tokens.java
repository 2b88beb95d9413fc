package io.gridrun.gateway.security;

import io.gridrun.platform.web.ApiProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Creates, checks, lists and revokes API tokens; makes the configured admin token valid. */
@Service
public class Tokens implements ApplicationRunner {

  /** The name of the token {@code gridrun.security.admin-token} configures. */
  public static final String ADMIN_NAME = "admin";

  private static final Logger log = LoggerFactory.getLogger(Tokens.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final TokenStore store;
  private final SecurityProperties properties;
  private final Clock clock = Clock.systemUTC();

  Tokens(TokenStore store, SecurityProperties properties) {
    this.store = store;
    this.properties = properties;
  }

  /** A token just made: the only time its value is known. */
  public record Created(ApiToken token, String value) {}

  @Override
  public void run(ApplicationArguments args) {
    store.createIndexes().then(bootstrapAdmin()).block(Duration.ofSeconds(30));
  }

  /** Makes the configured admin token the one named {@code admin}, replacing an older one. */
  private Mono<Void> bootstrapAdmin() {
    String value = properties.adminToken();
    if (value == null || value.isBlank()) {
      return Mono.empty();
    }
    String hash = TokenHashing.hash(value.strip());
    return store
        .byName(ADMIN_NAME)
        .flatMap(
            existing ->
                TokenHashing.matches(value.strip(), existing.hash())
                    ? Mono.just(true)
                    : store.delete(existing.id()).thenReturn(false))
        .defaultIfEmpty(false)
        .flatMap(
            present ->
                present
                    ? Mono.<Void>empty()
                    : store
                        .insert(
                            new ApiToken(
                                "tok-admin", ADMIN_NAME, Scope.ADMIN, hash, clock.instant()))
                        .doOnNext(t -> log.info("The configured admin token is valid"))
                        .then());
  }

  /** The stored token this value is, if any. */
  public Mono<ApiToken> find(String value) {
    if (value == null || value.isBlank() || value.length() > 512) {
      return Mono.empty();
    }
    return store
        .byHash(TokenHashing.hash(value))
        .filter(t -> TokenHashing.matches(value, t.hash()));
  }

  public Mono<Created> create(String name, Scope scope) {
    String chosen = name == null ? "token-" + UUID.randomUUID().toString().substring(0, 8) : name;
    if (!NAME.matcher(chosen).matches()) {
      return Mono.error(
          ApiProblem.badRequest(
              "name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
    String value = TokenHashing.newToken();
    Instant now = clock.instant();
    ApiToken token =
        new ApiToken(
            "tok-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
            chosen,
            scope,
            TokenHashing.hash(value),
            now);
    return store
        .insert(token)
        .map(saved -> new Created(saved, value))
        .switchIfEmpty(
            Mono.error(
                () ->
                    new ApiProblem(
                        HttpStatus.CONFLICT, "Conflict", "a token named '" + chosen + "' exists")));
  }

  public Flux<ApiToken> all() {
    return store.all();
  }

  public Mono<Boolean> revoke(String idOrName) {
    return store.delete(idOrName);
  }
}

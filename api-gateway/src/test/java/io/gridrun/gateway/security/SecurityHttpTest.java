package io.gridrun.gateway.security;

import static io.gridrun.gateway.GatewayIntegrationTest.ADMIN_BEARER;
import static io.gridrun.gateway.GatewayIntegrationTest.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.EventCodec;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The attacks on the gateway's front door, each of which must fail: no token, a token too weak, a
 * revoked token, a session cookie without CSRF token, a foreign Origin or Host, a body a browser
 * sends cross-site, the actuator without admin; and what must hold: values never listed, only
 * hashes stored, the session cookie HttpOnly and SameSite=Strict.
 */
@GatewayIntegrationTest
class SecurityHttpTest extends GatewayIntegrationTest.WithMongo {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @LocalServerPort int port;

  @Autowired ReactiveMongoTemplate mongo;

  private WebTestClient http;

  @BeforeEach
  void client() {
    http =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(20))
            .build();
  }

  private String create(String name, String scope) {
    Map<String, Object> created =
        http.post()
            .uri("/api/v1/tokens")
            .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"name\": \"" + name + "\", \"scope\": \"" + scope + "\"}")
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(
                new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    assertThat(created)
        .containsEntry("name", name)
        .containsEntry("scope", scope)
        .containsKeys("id", "createdAt");
    return (String) created.get("token");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object item) {
    return (Map<String, Object>) item;
  }

  private static String unique(String prefix) {
    return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void withoutATokenTheApiAnswers401WithWwwAuthenticateAsAProblemDetail() {
    for (var request :
        List.of(
            http.get().uri("/api/v1/jobs"),
            http.get().uri("/api/v1/webhooks"),
            http.post()
                .uri("/api/v1/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}"))) {
      request
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectHeader()
          .value(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).startsWith("Bearer"))
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo(401)
          .jsonPath("$.detail")
          .value(String.class, d -> assertThat(d).contains("Bearer"));
    }
    http.get()
        .uri("/api/v1/jobs")
        .header(HttpHeaders.AUTHORIZATION, "Bearer not-a-token")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .value(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).contains("invalid_token"));
    http.get()
        .uri("/api/v1/jobs")
        .header(HttpHeaders.AUTHORIZATION, "Basic YWRtaW46YWRtaW4=")
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void aReadTokenMayGetButNotChangeAndEachRefusalNamesTheScope() {
    String read = "Bearer " + create(unique("reader"), "read");
    String write = "Bearer " + create(unique("writer"), "write");

    http.get()
        .uri("/api/v1/jobs")
        .header(HttpHeaders.AUTHORIZATION, read)
        .exchange()
        .expectStatus()
        .value(s -> assertThat(s).isNotIn(401, 403));
    http.post()
        .uri("/api/v1/jobs")
        .header(HttpHeaders.AUTHORIZATION, read)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("requires scope write")
        .jsonPath("$.scope")
        .isEqualTo("read");
    http.post()
        .uri("/api/v1/jobs/j-1/cancel")
        .header(HttpHeaders.AUTHORIZATION, read)
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get()
        .uri("/api/v1/runs/j-1-r0000000/steps/train/logs")
        .header(HttpHeaders.AUTHORIZATION, read)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("requires scope write");
    http.get()
        .uri("/api/v1/runs/j-1-r0000000/steps/train/logs")
        .header(HttpHeaders.AUTHORIZATION, write)
        .exchange()
        .expectStatus()
        .value(s -> assertThat(s).isNotIn(401, 403));
    http.put()
        .uri("/api/v1/environments/busybox")
        .header(HttpHeaders.AUTHORIZATION, write)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"image\": \"busybox\"}")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("requires scope admin");
    for (String path : List.of("/api/v1/webhooks", "/api/v1/tokens")) {
      http.get()
          .uri(path)
          .header(HttpHeaders.AUTHORIZATION, write)
          .exchange()
          .expectStatus()
          .isForbidden()
          .expectBody()
          .jsonPath("$.detail")
          .isEqualTo("requires scope admin");
    }
    http.post()
        .uri("/api/v1/tokens")
        .header(HttpHeaders.AUTHORIZATION, write)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"scope\": \"admin\"}")
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  @Test
  void aRevokedTokenIsRefusedAtOnce() {
    String name = unique("ci");
    String token = "Bearer " + create(name, "admin");
    http.get()
        .uri("/api/v1/tokens")
        .header(HttpHeaders.AUTHORIZATION, token)
        .exchange()
        .expectStatus()
        .isOk();

    http.delete()
        .uri("/api/v1/tokens/" + name)
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .exchange()
        .expectStatus()
        .isNoContent();

    http.get()
        .uri("/api/v1/tokens")
        .header(HttpHeaders.AUTHORIZATION, token)
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .value(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).startsWith("Bearer"));
    http.delete()
        .uri("/api/v1/tokens/" + name)
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void tokensAreRevokedByIdAndNamesAreUniqueAndChecked() {
    String name = unique("by-id");
    Map<?, ?> created =
        http.post()
            .uri("/api/v1/tokens")
            .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"name\": \"" + name + "\", \"scope\": \"read\"}")
            .exchange()
            .expectStatus()
            .isCreated()
            .expectHeader()
            .value(HttpHeaders.LOCATION, l -> assertThat(l).startsWith("/api/v1/tokens/tok-"))
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    for (String body :
        List.of(
            "{\"name\": \"" + name + "\", \"scope\": \"read\"}",
            "{\"name\": \"x\", \"scope\": \"root\"}",
            "{\"name\": \"../x\", \"scope\": \"read\"}",
            "[1]",
            "{")) {
      http.post()
          .uri("/api/v1/tokens")
          .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(body)
          .exchange()
          .expectStatus()
          .value(s -> assertThat(s).as(body).isIn(400, 409))
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
    http.delete()
        .uri("/api/v1/tokens/" + created.get("id"))
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .exchange()
        .expectStatus()
        .isNoContent();
    http.get()
        .uri("/api/v1/jobs")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + created.get("token"))
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void tokenValuesAreNeverListedAndOnlyTheirHashesAreStored() {
    String name = unique("listed");
    String value = create(name, "write");

    String listing =
        http.get()
            .uri("/api/v1/tokens")
            .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    List<?> items = EventCodec.mapper().readValue(listing, List.class);
    assertThat(items)
        .anySatisfy(
            item ->
                assertThat(asMap(item))
                    .containsEntry("name", name)
                    .containsEntry("scope", "write")
                    .containsOnlyKeys("id", "name", "scope", "createdAt"));
    assertThat(items).anySatisfy(item -> assertThat(asMap(item)).containsEntry("name", "admin"));
    assertThat(listing).doesNotContain(value).doesNotContain(ADMIN_TOKEN);

    List<Document> stored = mongo.findAll(Document.class, "tokens").collectList().block();
    assertThat(stored.toString()).doesNotContain(value).doesNotContain(ADMIN_TOKEN);
    assertThat(stored)
        .anySatisfy(
            doc -> {
              assertThat(doc.get("name")).isEqualTo(name);
              assertThat(doc.get("hash")).isEqualTo(TokenHashing.hash(value));
            });
    assertThat(stored)
        .anySatisfy(doc -> assertThat(doc.get("hash")).isEqualTo(TokenHashing.hash(ADMIN_TOKEN)));
  }

  @Test
  void aSessionCookieWithoutTheCsrfTokenCannotChangeAnything() {
    ResponseCookie session = signIn();
    http.get()
        .uri("/api/v1/tokens")
        .cookie(session.getName(), session.getValue())
        .exchange()
        .expectStatus()
        .isOk();

    String body = "{\"name\": \"" + unique("from-ui") + "\", \"scope\": \"read\"}";
    http.post()
        .uri("/api/v1/tokens")
        .cookie(session.getName(), session.getValue())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains("CSRF"));
    http.post()
        .uri("/api/v1/tokens")
        .cookie(session.getName(), session.getValue())
        .header("X-CSRF-TOKEN", "forged")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isForbidden();

    Browser browser = csrfToken(session);
    http.post()
        .uri("/api/v1/tokens")
        .cookie("SESSION", browser.session().getValue())
        .header("X-CSRF-TOKEN", browser.csrf())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isCreated();
  }

  @Test
  void aForeignOriginOrHostIsRefusedEvenWithAValidToken() {
    http.get()
        .uri("/api/v1/tokens")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .header(HttpHeaders.ORIGIN, "http://evil.example")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains("origin"));
    http.post()
        .uri("/api/v1/tokens")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .header(HttpHeaders.ORIGIN, "null")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"scope\": \"read\"}")
        .exchange()
        .expectStatus()
        .isForbidden();
    for (String allowed : List.of("http://localhost:" + port, "https://gridrun.example.com")) {
      http.get()
          .uri("/api/v1/tokens")
          .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
          .header(HttpHeaders.ORIGIN, allowed)
          .exchange()
          .expectStatus()
          .isOk();
    }
    // DNS rebinding: a page of evil.example whose name now resolves to this machine
    http.get()
        .uri("/api/v1/tokens")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .header(HttpHeaders.HOST, "evil.example:" + port)
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedWith415() {
    http.post()
        .uri("/api/v1/jobs")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .contentType(MediaType.TEXT_PLAIN)
        .bodyValue("{\"name\": \"x\"}")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains("application/json"));
    http.post()
        .uri("/api/v1/tokens")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .bodyValue("name=x&scope=admin")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    http.put()
        .uri("/api/v1/environments/busybox")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .header(HttpHeaders.CONTENT_TYPE, "text/plain")
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    // the documented upload types pass on to the owner (here unreachable: not 415)
    http.put()
        .uri("/api/v1/projects/demo")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .contentType(MediaType.parseMediaType("application/gzip"))
        .bodyValue(new byte[] {31, -117, 8, 0})
        .exchange()
        .expectStatus()
        .value(s -> assertThat(s).isNotEqualTo(415));
    // a bodiless control request needs no content type
    http.post()
        .uri("/api/v1/jobs/j-1/cancel")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .exchange()
        .expectStatus()
        .value(s -> assertThat(s).isNotIn(401, 403, 415));
  }

  @Test
  void healthIsOpenAndTheOtherActuatorEndpointsNeedAdmin() {
    http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
    http.get()
        .uri("/actuator/prometheus")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + create(unique("ops"), "write"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("requires scope admin");
    http.get()
        .uri("/actuator/prometheus")
        .header(HttpHeaders.AUTHORIZATION, ADMIN_BEARER)
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void theLoginPageSignsInWithATokenIntoAnHttpOnlySameSiteStrictCookie() {
    EntityExchangeResult<String> page =
        http.get()
            .uri("/login")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectBody(String.class)
            .returnResult();
    assertThat(page.getResponseBody())
        .contains("<label for=\"token\">Token</label>")
        .contains("<button type=\"submit\">Sign in</button>");
    ResponseCookie anonymous = page.getResponseCookies().getFirst("SESSION");
    Matcher csrf = CSRF.matcher(page.getResponseBody());
    assertThat(csrf.find()).isTrue();

    // the form, without its CSRF token, is refused
    http.post()
        .uri("/login")
        .cookie("SESSION", anonymous.getValue())
        .body(BodyInserters.fromFormData("token", ADMIN_TOKEN))
        .exchange()
        .expectStatus()
        .isForbidden();

    EntityExchangeResult<byte[]> signedIn =
        http.post()
            .uri("/login")
            .cookie("SESSION", anonymous.getValue())
            .body(BodyInserters.fromFormData("token", ADMIN_TOKEN).with("_csrf", csrf.group(1)))
            .exchange()
            .expectStatus()
            .isSeeOther()
            .expectHeader()
            .location("/jobs")
            .expectBody()
            .returnResult();
    ResponseCookie session = signedIn.getResponseCookies().getFirst("SESSION");
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    assertThat(session.getValue()).isNotEqualTo(anonymous.getValue());
    http.get()
        .uri("/api/v1/tokens")
        .cookie("SESSION", session.getValue())
        .exchange()
        .expectStatus()
        .isOk();

    http.get()
        .uri("/login?token=wrong")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody(String.class)
        .value(b -> assertThat(b).contains("not valid"));
  }

  @Test
  void uiPagesWithoutASessionRedirectToTheLoginPage() {
    for (String page : List.of("/", "/jobs", "/jobs/j-1", "/environments", "/projects/demo")) {
      http.get()
          .uri(page)
          .accept(MediaType.TEXT_HTML)
          .exchange()
          .expectStatus()
          .isSeeOther()
          .expectHeader()
          .location("/login");
    }
    Browser browser = csrfToken(signIn());
    http.post()
        .uri("/logout")
        .cookie("SESSION", browser.session().getValue())
        .header("X-CSRF-TOKEN", browser.csrf())
        .exchange()
        .expectStatus()
        .isSeeOther()
        .expectHeader()
        .location("/login");
    http.get()
        .uri("/api/v1/tokens")
        .cookie("SESSION", browser.session().getValue())
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  /** Signs in with the login link, as a browser following the local stack's banner would. */
  private ResponseCookie signIn() {
    EntityExchangeResult<byte[]> signedIn =
        http.get()
            .uri("/login?token=" + ADMIN_TOKEN)
            .exchange()
            .expectStatus()
            .isSeeOther()
            .expectHeader()
            .location("/jobs")
            .expectBody()
            .returnResult();
    ResponseCookie session = signedIn.getResponseCookies().getFirst("SESSION");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");
    return session;
  }

  /** A signed-in browser: its session cookie and the CSRF token its pages carry. */
  private record Browser(ResponseCookie session, String csrf) {}

  /**
   * The CSRF token of the session, as the login page's form carries it; the session id changes when
   * the token is made, so the browser takes the new cookie too.
   */
  private Browser csrfToken(ResponseCookie session) {
    EntityExchangeResult<String> page =
        http.get()
            .uri("/login")
            .cookie("SESSION", session.getValue())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult();
    Matcher csrf = CSRF.matcher(page.getResponseBody());
    assertThat(csrf.find()).isTrue();
    ResponseCookie renewed = page.getResponseCookies().getFirst("SESSION");
    return new Browser(renewed == null ? session : renewed, csrf.group(1));
  }
}

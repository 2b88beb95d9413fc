package io.gridrun.gateway.security;

import java.net.URI;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Signing in to the UI with a token: {@code GET /login} shows a form ("Token", "Sign in"), {@code
 * POST /login} or {@code GET /login?token=…} (the link the local stack prints) keeps the token in
 * the session and redirects to {@code /jobs}; {@code POST /logout} ends the session.
 */
@Controller
class LoginController {

  private final Tokens tokens;

  LoginController(Tokens tokens) {
    this.tokens = tokens;
  }

  @GetMapping("/login")
  @ResponseBody
  Mono<ResponseEntity<String>> page(
      @RequestParam(required = false) String token, ServerWebExchange exchange) {
    return token == null ? page(exchange, HttpStatus.OK, null) : signIn(token, exchange);
  }

  @PostMapping(path = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  @ResponseBody
  Mono<ResponseEntity<String>> form(ServerWebExchange exchange) {
    return exchange
        .getFormData()
        .map(form -> value(form, "token"))
        .flatMap(token -> signIn(token, exchange));
  }

  @PostMapping("/logout")
  @ResponseBody
  Mono<ResponseEntity<Void>> logout(ServerWebExchange exchange) {
    return exchange
        .getSession()
        .flatMap(session -> session.invalidate())
        .then(Mono.just(redirect("/login")));
  }

  private Mono<ResponseEntity<String>> signIn(String token, ServerWebExchange exchange) {
    return tokens
        .find(token.strip())
        .flatMap(
            found ->
                exchange
                    .getSession()
                    .flatMap(
                        session ->
                            session
                                .changeSessionId()
                                .then(
                                    Mono.fromRunnable(
                                        () -> {
                                          session
                                              .getAttributes()
                                              .put(
                                                  TokenSecurityContextRepository.SESSION_TOKEN,
                                                  token.strip());
                                          session.start();
                                        })))
                    .then(
                        Mono.just(
                            ResponseEntity.status(HttpStatus.SEE_OTHER)
                                .location(URI.create("/jobs"))
                                .<String>build())))
        .switchIfEmpty(
            Mono.defer(() -> page(exchange, HttpStatus.UNAUTHORIZED, "That token is not valid.")));
  }

  private static <T> ResponseEntity<T> redirect(String location) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(location)).build();
  }

  private static String value(MultiValueMap<String, String> form, String name) {
    String value = form.getFirst(name);
    return value == null ? "" : value;
  }

  private static Mono<ResponseEntity<String>> page(
      ServerWebExchange exchange, HttpStatus status, String error) {
    Mono<CsrfToken> csrf = exchange.getAttribute(CsrfToken.class.getName());
    return (csrf == null ? Mono.<CsrfToken>empty() : csrf)
        .map(token -> hidden(token.getParameterName(), token.getToken()))
        .defaultIfEmpty("")
        .map(
            hidden ->
                ResponseEntity.status(status)
                    .contentType(MediaType.TEXT_HTML)
                    .cacheControl(CacheControl.noStore())
                    // same-origin: the sign-in form must post with its Origin (no-referrer sends
                    // "null")
                    .header("Referrer-Policy", "same-origin")
                    .body(html(hidden, error)));
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
  }

  private static String html(String hidden, String error) {
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in · gridrun</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}
        label,input,button{display:block;width:100%%;box-sizing:border-box;margin:.4rem 0}
        input,button{padding:.5rem;font-size:1rem}.error{color:#b00020}
        </style>
        </head>
        <body>
        <h1>gridrun</h1>
        %s<form method="post" action="/login">
        %s
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="off" required autofocus>
        <button type="submit">Sign in</button>
        </form>
        <p>The local stack prints a sign-in link when it starts, and keeps its token in
        <code>$GRIDRUN_HOME/token</code>.</p>
        </body>
        </html>
        """
        .formatted(
            error == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>\n",
            hidden);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}

package io.gridrun.platform.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Every error of gridrun's HTTP APIs is an RFC 9457 problem detail: framework errors (malformed
 * JSON, unknown route, wrong method), {@link ApiProblem}s, and unexpected failures.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    // the reason is Spring's own sentence ("Type mismatch.", "Required query parameter 'x' is not
    // present."); the cause's text (a parser's message, a class name) is logged, never echoed
    log.debug("Malformed request", ex);
    String detail =
        ex.getCause() == null
            ? ex.getReason()
            : "The request could not be read: "
                + (ex.getReason() == null ? "malformed input" : ex.getReason());
    ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    body.setTitle("Malformed request");
    return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, exchange);
  }

  @ExceptionHandler(Exception.class)
  Mono<ResponseEntity<ProblemDetail>> unexpected(Exception ex) {
    log.error("Unexpected error answering a request", ex);
    // a generic sentence only: the exception's text may name internals (hosts, paths, queries)
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "The request could not be answered because of an internal error; it was logged.");
    body.setTitle("Internal error");
    return Mono.just(ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(body));
  }
}

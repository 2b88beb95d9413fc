package io.gridrun.gateway.limits;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Spring Security's firewall checks query parameter names and values lazily, when a controller
 * reads them; a name it refuses (unassigned or control characters) surfaced as the platform's
 * {@code 500}. It is bad input: {@code 400}, in gridrun's words.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RejectedRequestAdvice {

  @ExceptionHandler(ServerExchangeRejectedException.class)
  ResponseEntity<ProblemDetail> rejected(ServerExchangeRejectedException e) {
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            "The request was refused: a query parameter's name or value has characters that are"
                + " not allowed (control or unassigned characters).");
    body.setTitle("Malformed request");
    return ResponseEntity.badRequest().body(body);
  }
}

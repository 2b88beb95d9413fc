package io.gridrun.gateway.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A request Spring Security's firewall refuses while a handler reads it (a query parameter name
 * with characters it does not allow, checked when the parameters are first read) is bad input: a
 * 400 problem detail, not the 500 of an unexpected error. The refused name is not echoed.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RejectedRequestAdvice {

  @ExceptionHandler(ServerExchangeRejectedException.class)
  ResponseEntity<ProblemDetail> rejected(ServerExchangeRejectedException e) {
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST,
            "The request could not be read: a query parameter name has characters that are not"
                + " allowed.");
    body.setTitle("Malformed request");
    return ResponseEntity.badRequest().body(body);
  }
}

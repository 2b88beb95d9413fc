package io.gridrun.gateway.ui;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.reactive.result.view.Rendering;

/**
 * Errors of UI pages become an HTML page that shows the API's problem detail (never a stack trace
 * or exception text), instead of the API's JSON problem.
 */
@ControllerAdvice(basePackages = "io.gridrun.gateway.ui")
@Order(Ordered.HIGHEST_PRECEDENCE)
class UiErrorAdvice {

  @ExceptionHandler(UiApiException.class)
  Rendering apiProblem(UiApiException e) {
    return Rendering.view("error")
        .status(HttpStatus.valueOf(e.status()))
        .modelAttribute("problem", e.problem())
        .build();
  }
}

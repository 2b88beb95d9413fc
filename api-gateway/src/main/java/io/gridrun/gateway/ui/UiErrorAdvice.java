package io.gridrun.gateway.ui;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private static final Logger log = LoggerFactory.getLogger(UiErrorAdvice.class);

  /** What a page says when something failed on this side: no exception text, ever. */
  static final UiProblem UNEXPECTED =
      new UiProblem(
          "Something went wrong",
          500,
          "This page could not be shown. The gateway's log has the details; try again, or go back"
              + " to the jobs.",
          java.util.List.of());

  /**
   * Anything else a UI handler or its template threw (a bug, an unreachable API): the error page
   * with a 500, not the API's JSON problem.
   */
  @ExceptionHandler(Exception.class)
  Rendering unexpected(Exception e) {
    log.error("A UI page failed", e);
    return Rendering.view("error")
        .status(HttpStatus.INTERNAL_SERVER_ERROR)
        .modelAttribute("problem", UNEXPECTED)
        .build();
  }

  @ExceptionHandler(UiApiException.class)
  Rendering apiProblem(UiApiException e) {
    return Rendering.view("error")
        .status(HttpStatus.valueOf(e.status()))
        .modelAttribute("problem", e.problem())
        .build();
  }
}

package io.gridrun.platform.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error answered as RFC 9457 problem details, with a detail sentence a person understands. Throw
 * it from a handler (or return it in an error signal); the web layer renders it.
 */
public class ApiProblem extends ErrorResponseException {

  public ApiProblem(HttpStatus status, String title, String detail) {
    super(status, problem(status, title, detail), null);
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("https://gridrun.io/problems/" + slug(title)));
    return problem;
  }

  private static String slug(String title) {
    return title
        .toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-")
        .replaceAll("(^-|-$)", "");
  }

  public static ApiProblem notFound(String detail) {
    return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", detail);
  }

  public static ApiProblem badRequest(String detail) {
    return new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
  }

  public static ApiProblem conflict(String detail) {
    return new ApiProblem(HttpStatus.CONFLICT, "Conflict", detail);
  }

  public static ApiProblem unavailable(String detail) {
    return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail);
  }

  @Override
  public String getMessage() {
    return getBody().getDetail();
  }
}

package io.gridrun.gateway.ui;

/** The API answered a UI call with an error status and this problem detail. */
public class UiApiException extends RuntimeException {

  private final int status;
  private final transient UiProblem problem;

  public UiApiException(int status, UiProblem problem) {
    super(problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()));
    this.status = status;
    this.problem = problem;
  }

  public int status() {
    return status;
  }

  public UiProblem problem() {
    return problem;
  }
}

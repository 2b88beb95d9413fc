package io.gridrun.runner.execution;

/** The {@code reason} of a step that did not succeed, as users read it in the API. */
public final class FailureReasons {

  public static final String TIMEOUT = "timeout";
  public static final String OUT_OF_MEMORY = "out of memory";
  public static final String UPSTREAM_FAILED = "upstream step failed";
  public static final String CANCELLED = "cancelled";
  public static final String SHUTTING_DOWN = "runner shutting down";

  private FailureReasons() {}

  public static String exitCode(int code) {
    return "exit code " + code;
  }
}

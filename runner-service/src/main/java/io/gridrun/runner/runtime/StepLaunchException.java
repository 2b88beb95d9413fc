package io.gridrun.runner.runtime;

/** A step that could not start; the message is the step's failure reason. */
public class StepLaunchException extends Exception {

  public StepLaunchException(String reason) {
    super(reason);
  }

  public StepLaunchException(String reason, Throwable cause) {
    super(reason, cause);
  }
}

package io.gridrun.runner.runtime;

/** A step that could not start; the message is the step's failure reason. */
public class StepLaunchException extends Exception {

  private final boolean permanent;

  public StepLaunchException(String reason) {
    this(reason, null, false);
  }

  public StepLaunchException(String reason, Throwable cause) {
    this(reason, cause, false);
  }

  private StepLaunchException(String reason, Throwable cause, boolean permanent) {
    super(reason, cause);
    this.permanent = permanent;
  }

  /** A failure that trying again cannot change, such as an image that does not exist. */
  public static StepLaunchException permanent(String reason, Throwable cause) {
    return new StepLaunchException(reason, cause, true);
  }

  public boolean permanent() {
    return permanent;
  }
}

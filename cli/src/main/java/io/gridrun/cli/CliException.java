package io.gridrun.cli;

/** A failure reported as one line on stderr, with the exit code it stands for. */
final class CliException extends RuntimeException {

  private final int exitCode;
  private final int httpStatus;

  CliException(int exitCode, String message) {
    this(exitCode, message, 0);
  }

  CliException(int exitCode, String message, int httpStatus) {
    super(message, null, false, false);
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }

  /** The HTTP status the server answered, 0 when there was no answer. */
  int httpStatus() {
    return httpStatus;
  }

  int exitCode() {
    return exitCode;
  }
}

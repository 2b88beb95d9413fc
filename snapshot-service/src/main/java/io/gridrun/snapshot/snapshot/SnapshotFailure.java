package io.gridrun.snapshot.snapshot;

/** A snapshot that cannot be taken; the message is the reason shown on the job. */
public class SnapshotFailure extends Exception {

  public SnapshotFailure(String reason) {
    super(reason);
  }

  public SnapshotFailure(String reason, Throwable cause) {
    super(reason, cause);
  }
}

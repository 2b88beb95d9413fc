package io.gridrun.runner.storage;

import io.gridrun.common.event.RunRequested;
import java.io.OutputStream;

/**
 * Where a step's log goes besides the runner's own disk. With a shared log directory, nowhere
 * ({@link #NONE}). Without one ({@code gridrun.storage.kind=s3}), the lines of a running step go to
 * the {@code gridrun.logs} topic as they are written, and the finished log to the object store
 * before the step's end is published (see {@code LiveLogShipping}).
 */
public interface LogShipping {

  LogShipping NONE =
      new LogShipping() {
        @Override
        public OutputStream live(RunRequested run, String stepId, OutputStream log) {
          return log;
        }

        @Override
        public void stored(RunRequested run, String stepId) {}

        @Override
        public void runEnded(RunRequested run) {}
      };

  /** The stream the step's log is written through: {@code log}, or a tee of it. */
  OutputStream live(RunRequested run, String stepId, OutputStream log);

  /** The step's log is complete and closed: stores it where every reader finds it. */
  void stored(RunRequested run, String stepId);

  /** Every step of the run has ended and its log is stored. */
  void runEnded(RunRequested run);
}

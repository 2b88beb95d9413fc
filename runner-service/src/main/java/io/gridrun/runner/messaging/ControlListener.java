package io.gridrun.runner.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.Topics;
import io.gridrun.common.event.WorkingCopiesReleased;
import io.gridrun.runner.config.RunnerProperties;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.WorkingCopies;
import io.gridrun.runner.lease.Heartbeats;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every runner hears every cancellation and release of working copies: a consumer group of its own,
 * from the latest.
 */
@Component
class ControlListener {

  private final Cancellations cancellations;
  private final WorkingCopies workingCopies;
  private final Heartbeats heartbeats;
  private final String runnerId;

  ControlListener(
      Cancellations cancellations,
      WorkingCopies workingCopies,
      Heartbeats heartbeats,
      RunnerProperties runner) {
    this.cancellations = cancellations;
    this.workingCopies = workingCopies;
    this.heartbeats = heartbeats;
    this.runnerId = runner.runnerId();
  }

  @KafkaListener(
      id = "runner-control",
      topics = Topics.CONTROL,
      groupId = "runner-control-#{T(java.util.UUID).randomUUID()}",
      properties = {"auto.offset.reset=latest"})
  void on(String json) {
    GridrunEvent event = EventCodec.decode(json);
    if (event instanceof RunCancelRequested cancel) {
      if (cancel.runner() != null) {
        if (cancel.runner().equals(runnerId)
            && cancel.runId() != null
            && cancel.attempt() != null) {
          heartbeats.standDown(cancel.runId(), cancel.attempt());
        }
      } else if (cancel.attempt() != null && cancel.runId() != null) {
        cancellations.cancelAttempt(cancel.jobId(), cancel.runId(), cancel.attempt());
      } else {
        cancellations.cancel(cancel.jobId(), cancel.runId());
      }
    } else if (event instanceof WorkingCopiesReleased released) {
      workingCopies.release(released);
    }
  }
}

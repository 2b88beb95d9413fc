package io.gridrun.snapshot.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.JobDeleted;
import io.gridrun.common.event.Topics;
import io.gridrun.snapshot.snapshot.SnapshotService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
class JobCreatedListener {

  private final SnapshotService snapshots;

  JobCreatedListener(SnapshotService snapshots) {
    this.snapshots = snapshots;
  }

  @KafkaListener(id = "snapshot-jobs", topics = Topics.JOBS, groupId = "snapshot-service")
  void on(String json) {
    GridrunEvent event = EventCodec.decode(json);
    if (event instanceof JobCreated created) {
      snapshots.onJobCreated(created);
    } else if (event instanceof JobDeleted deleted) {
      snapshots.onJobDeleted(deleted);
    }
  }
}

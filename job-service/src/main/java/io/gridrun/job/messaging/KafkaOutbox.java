package io.gridrun.job.messaging;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.job.domain.port.Outbox;
import io.gridrun.platform.messaging.EventPublisher;
import java.util.concurrent.CompletableFuture;

/** The outbox as it is today: every event goes straight to its topic on the broker. */
public class KafkaOutbox implements Outbox {

  private final EventPublisher publisher;

  public KafkaOutbox(EventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public CompletableFuture<Void> send(GridrunEvent event) {
    return publisher.publish(event);
  }

  @Override
  public void sendAndWait(GridrunEvent event) {
    publisher.publishAndWait(event);
  }
}

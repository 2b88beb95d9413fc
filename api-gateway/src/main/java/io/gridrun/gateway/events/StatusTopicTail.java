package io.gridrun.gateway.events;

import io.gridrun.common.event.Topics;
import io.gridrun.platform.messaging.TopicReaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Follows the status topic from its end with one listener container for the whole gateway (one
 * consumer thread, Boot's consumer factory, every partition assigned, no consumer group) and fans
 * the events out to every connected client, so idle clients cost no thread and a slow client cannot
 * slow the others (each has its own bounded buffer). The container's listener is seek-aware: it
 * learns where the tail starts (the end of each partition) when the container assigns the
 * partitions, before the first poll, and the tail's {@link #position()} moves with every record it
 * emits.
 */
@Component
public class StatusTopicTail implements SmartLifecycle {

  private static final Duration POLL = Duration.ofMillis(200);

  /** How long {@link #start()} waits for the container to assign and position the partitions. */
  private static final Duration ASSIGNMENT = Duration.ofSeconds(60);

  private final Sinks.Many<StatusRecord> sink = Sinks.many().multicast().directBestEffort();
  private final StatusTopic topic;
  private final KafkaAdmin admin;
  private volatile KafkaMessageListenerContainer<String, String> container;
  private volatile String epoch;
  private volatile EventCursor position;
  private volatile boolean running;

  public StatusTopicTail(StatusTopic topic, KafkaAdmin admin) {
    this.topic = topic;
    this.admin = admin;
  }

  /** Events from now on; records arrive in topic order per partition. */
  public Flux<StatusRecord> live() {
    return sink.asFlux();
  }

  /** Where the tail is: the next offset of each partition it has not yet emitted. */
  public EventCursor position() {
    return position;
  }

  public int partitions() {
    return position.partitions();
  }

  /**
   * The epoch of the status topic's log: its topic id, new whenever the log is (a broker that
   * started empty, a topic deleted and created again), so that a cursor of an older log is told
   * from one of this log (see {@link StreamResume}).
   */
  public String epoch() {
    return epoch;
  }

  @Override
  public void start() {
    List<TopicPartition> partitions;
    try (Consumer<String, String> consumer = topic.newConsumer()) {
      partitions = StatusTopic.partitionsOf(consumer);
    }
    epoch = admin.describeTopics(Topics.STATUS).get(Topics.STATUS).topicId().toString();
    Tail listener = new Tail(partitions.size());
    container =
        new KafkaMessageListenerContainer<>(topic.consumers(), properties(partitions, listener));
    container.setBeanName("status-topic-tail");
    container.start();
    try {
      if (!listener.assigned.await(ASSIGNMENT.toMillis(), TimeUnit.MILLISECONDS)) {
        container.stop();
        throw new IllegalStateException(
            "the status topic tail was not positioned within " + ASSIGNMENT.toSeconds() + "s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    running = true;
  }

  /** Every partition assigned at its end, outside any consumer group; nothing is committed. */
  private static ContainerProperties properties(
      List<TopicPartition> partitions, MessageListener<String, String> listener) {
    ContainerProperties properties =
        new ContainerProperties(
            partitions.stream()
                .map(
                    p ->
                        new TopicPartitionOffset(
                            p.topic(), p.partition(), TopicPartitionOffset.SeekPosition.END))
                .toArray(TopicPartitionOffset[]::new));
    properties.setMessageListener(listener);
    properties.setKafkaConsumerProperties(TopicReaders.outsideAnyGroup());
    properties.setClientId("gridrun-status");
    properties.setPollTimeout(POLL.toMillis());
    properties.setMicrometerEnabled(false);
    return properties;
  }

  /** The container's listener: where the tail starts, then every record in order. */
  private final class Tail extends AbstractConsumerSeekAware
      implements MessageListener<String, String> {

    private final CountDownLatch assigned = new CountDownLatch(1);
    private final int partitions;

    Tail(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public void onPartitionsAssigned(
        Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
      super.onPartitionsAssigned(assignments, callback);
      long[] next = new long[partitions];
      assignments.forEach((partition, offset) -> next[partition.partition()] = offset);
      position = EventCursor.of(next);
      assigned.countDown();
    }

    @Override
    public void onMessage(ConsumerRecord<String, String> record) {
      StatusRecord status = StatusTopic.toRecord(record);
      position = position.after(status.partition(), status.offset());
      sink.tryEmitNext(status);
    }
  }

  @Override
  public void stop() {
    running = false;
    if (container != null) {
      container.stop();
    }
    sink.tryEmitComplete();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}

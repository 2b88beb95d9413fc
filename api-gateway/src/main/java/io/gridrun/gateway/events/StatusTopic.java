package io.gridrun.gateway.events;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.platform.messaging.TopicReaders;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * The status topic as the event stream reads it: readers outside any consumer group from Boot's
 * consumer factory, its partitions, and its records as {@link StatusRecord}s.
 */
@Component
class StatusTopic {

  private final ConsumerFactory<String, String> consumers;

  StatusTopic(ConsumerFactory<String, String> consumers) {
    this.consumers = consumers;
  }

  /** Boot's consumer factory, for the live tail's listener container. */
  ConsumerFactory<String, String> consumers() {
    return consumers;
  }

  /** A reader of the status topic, assigned and positioned by its user, who closes it. */
  Consumer<String, String> newConsumer() {
    return TopicReaders.create(consumers, "gridrun-status");
  }

  /** The topic's partitions in order; waits a while for the topic to exist. */
  static List<TopicPartition> partitionsOf(Consumer<String, String> consumer) {
    for (int attempt = 0; ; attempt++) {
      var infos = consumer.partitionsFor(Topics.STATUS, Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream()
            .map(i -> new TopicPartition(Topics.STATUS, i.partition()))
            .sorted(Comparator.comparingInt(TopicPartition::partition))
            .toList();
      }
      if (attempt > 30) {
        throw new IllegalStateException("topic " + Topics.STATUS + " does not exist");
      }
      sleep();
    }
  }

  static StatusRecord toRecord(ConsumerRecord<String, String> record) {
    String jobId = record.key();
    String type = "status";
    try {
      Map<?, ?> json = EventCodec.mapper().readValue(record.value(), Map.class);
      type = String.valueOf(json.get("type"));
      if (json.get("jobId") != null) {
        jobId = String.valueOf(json.get("jobId"));
      }
    } catch (RuntimeException notJson) {
      // delivered as is: the stream carries whatever the topic holds
    }
    return new StatusRecord(record.partition(), record.offset(), jobId, type, record.value());
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

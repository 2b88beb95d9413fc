package io.gridrun.gateway.events;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Follows the status topic from its end with one consumer thread for the whole gateway and fans the
 * events out to every connected client, so idle clients cost no thread and a slow client cannot
 * slow the others (each has its own bounded buffer).
 */
@Component
public class StatusTopicTail implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StatusTopicTail.class);

  private final Sinks.Many<StatusRecord> sink = Sinks.many().multicast().directBestEffort();
  private final ConsumerFactory<String, String> consumers;
  private final KafkaAdmin admin;
  private volatile Consumer<String, String> consumer;
  private volatile String epoch;
  private volatile EventCursor position;
  private volatile boolean running;
  private Thread thread;

  public StatusTopicTail(ConsumerFactory<String, String> consumers, KafkaAdmin admin) {
    this.consumers = consumers;
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

  /**
   * A consumer of the status topic outside any consumer group, for tails and replays: from Boot's
   * consumer factory (the broker, client settings), assigned and positioned by its user.
   */
  Consumer<String, String> newConsumer() {
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return consumers.createConsumer(null, "gridrun-status", null, overrides);
  }

  static List<TopicPartition> partitionsOf(Consumer<String, String> consumer) {
    for (int attempt = 0; ; attempt++) {
      var infos = consumer.partitionsFor(Topics.STATUS, Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream()
            .map(i -> new TopicPartition(Topics.STATUS, i.partition()))
            .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
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

  @Override
  public void start() {
    consumer = newConsumer();
    List<TopicPartition> partitions = partitionsOf(consumer);
    epoch = admin.describeTopics(Topics.STATUS).get(Topics.STATUS).topicId().toString();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    long[] next = new long[partitions.size()];
    for (TopicPartition p : partitions) {
      next[p.partition()] = consumer.position(p);
    }
    position = EventCursor.of(next);
    running = true;
    thread = new Thread(this::pollLoop, "status-topic-tail");
    thread.setDaemon(true);
    thread.start();
  }

  private void pollLoop() {
    try {
      while (running) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          StatusRecord status = toRecord(record);
          position = position.after(status.partition(), status.offset());
          sink.tryEmitNext(status);
        }
      }
    } catch (WakeupException stopping) {
      // stop() woke the consumer up
    } catch (RuntimeException e) {
      log.error("The status topic tail stopped; live events are no longer delivered", e);
    } finally {
      consumer.close();
    }
  }

  @Override
  public void stop() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    sink.tryEmitComplete();
  }

  @Override
  public boolean isRunning() {
    return running;
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

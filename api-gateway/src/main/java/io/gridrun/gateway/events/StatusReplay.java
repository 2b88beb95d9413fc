package io.gridrun.gateway.events;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * Reads the status topic between two cursors, for a client that resumes or catches up: a reader of
 * its own from Boot's consumer factory, positioned at the client's cursor and polled only as fast
 * as the client reads (see docs/architecture.md, "Server-sent events").
 */
@Component
class StatusReplay {

  private final StatusTopic topic;

  StatusReplay(StatusTopic topic) {
    this.topic = topic;
  }

  /**
   * Events at or after {@code from} and before {@code until}, partition by partition in order.
   * Reads only as fast as the subscriber asks, so a long replay never piles up in memory.
   */
  Flux<StatusRecord> between(EventCursor from, EventCursor until) {
    return Flux.<StatusRecord>create(
            emitter -> {
              try (Consumer<String, String> consumer = topic.newConsumer()) {
                List<TopicPartition> partitions = StatusTopic.partitionsOf(consumer);
                consumer.assign(partitions);
                for (TopicPartition p : partitions) {
                  consumer.seek(p, from.next(p.partition()));
                }
                EventCursor read = from;
                while (!read.reached(until) && !emitter.isCancelled()) {
                  awaitDemand(emitter);
                  for (ConsumerRecord<String, String> record :
                      consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < until.next(record.partition())) {
                      emitter.next(StatusTopic.toRecord(record));
                    }
                    read = read.after(record.partition(), record.offset());
                  }
                  for (TopicPartition p : partitions) {
                    read = read.after(p.partition(), consumer.position(p) - 1);
                  }
                }
                emitter.complete();
              } catch (RuntimeException e) {
                emitter.error(e);
              }
            })
        // requests go straight to the loop, from whichever thread the reader asks on: scheduled
        // onto the worker (subscribeOn's default), they would wait behind the loop, which waits
        // for them (StatusReplayTest)
        .subscribeOn(Schedulers.boundedElastic(), false);
  }

  private static void awaitDemand(FluxSink<?> emitter) {
    while (emitter.requestedFromDownstream() == 0 && !emitter.isCancelled()) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}

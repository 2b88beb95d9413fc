package io.gridrun.gateway.logs;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.platform.messaging.TopicReaders;
import io.gridrun.storage.logs.LiveLogRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.springframework.kafka.core.ConsumerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * Reads running steps' log lines from the {@code gridrun.logs} topic (services that share no disk):
 * one consumer outside any group per reader, on the partition of the run's key, from the
 * partition's beginning, keeping the records of one step. Lines of an older attempt of the run are
 * dropped once a newer attempt's lines appear; a record that repeats bytes already emitted is
 * skipped by its offset.
 */
public class LiveLogTopic {

  private static final Duration POLL = Duration.ofMillis(200);

  private final ConsumerFactory<String, String> consumers;

  /** Reads with consumers from {@code consumers} (Boot's factory: the broker, client settings). */
  public LiveLogTopic(ConsumerFactory<String, String> consumers) {
    this.consumers = consumers;
  }

  /** The step's lines as they arrive, until the runner says its log is stored. */
  Flux<byte[]> follow(String runId, String stepId) {
    return read(runId, stepId, false);
  }

  /** The step's lines on the topic now. */
  byte[] upToNow(String runId, String stepId) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    read(runId, stepId, true).toIterable().forEach(all::writeBytes);
    return all.toByteArray();
  }

  private Flux<byte[]> read(String runId, String stepId, boolean untilNow) {
    return Flux.<byte[]>create(sink -> pump(sink, runId, stepId, untilNow))
        // requests go straight to the sink, from whichever thread the reader asks on: scheduled
        // onto the worker (subscribeOn's default), they waited behind the loop until the step's
        // end, and so did the lines (LiveLogTopicTest)
        .subscribeOn(Schedulers.boundedElastic(), false);
  }

  private void pump(FluxSink<byte[]> sink, String runId, String stepId, boolean untilNow) {
    try (Consumer<String, String> consumer = TopicReaders.create(consumers, "gridrun-logs")) {
      int partitions = consumer.partitionsFor(Topics.LOGS).size();
      TopicPartition partition =
          new TopicPartition(
              Topics.LOGS,
              Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % partitions);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = untilNow ? consumer.endOffsets(List.of(partition)).get(partition) : Long.MAX_VALUE;
      Position position = new Position();
      while (!sink.isCancelled()) {
        if (consumer.position(partition) >= end) {
          sink.complete();
          return;
        }
        for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
          if (record.offset() >= end) {
            sink.complete();
            return;
          }
          if (!runId.equals(record.key()) || record.value() == null) {
            continue;
          }
          LiveLogRecord line = EventCodec.mapper().readValue(record.value(), LiveLogRecord.class);
          if (!stepId.equals(line.stepId())) {
            continue;
          }
          byte[] bytes = position.accept(line);
          if (bytes.length > 0) {
            sink.next(bytes);
          }
          if (line.stored() && line.attempt() == position.attempt) {
            sink.complete();
            return;
          }
        }
      }
    } catch (RuntimeException e) {
      sink.error(e);
    }
  }

  /** How far the reader got: the latest attempt seen and the bytes emitted of its log. */
  private static final class Position {
    int attempt;
    long emitted;

    byte[] accept(LiveLogRecord line) {
      if (line.attempt() < attempt) {
        return new byte[0];
      }
      if (line.attempt() > attempt) {
        attempt = line.attempt();
        emitted = 0;
      }
      byte[] bytes = line.text().getBytes(StandardCharsets.UTF_8);
      if (line.stored() || line.offset() + bytes.length <= emitted) {
        return new byte[0];
      }
      int skip = (int) Math.max(0, emitted - line.offset());
      emitted = line.offset() + bytes.length;
      return java.util.Arrays.copyOfRange(bytes, skip, bytes.length);
    }
  }
}

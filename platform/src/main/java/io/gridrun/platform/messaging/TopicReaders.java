package io.gridrun.platform.messaging;

import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Consumers that read topics outside any consumer group, from Boot's consumer factory (the broker
 * and client settings of {@code spring.kafka.*}): they are assigned partitions and positioned by
 * their user, commit nothing and move nobody's offsets.
 */
public final class TopicReaders {

  private TopicReaders() {}

  /** The settings that make a consumer of Boot's factory a reader outside any group. */
  public static Properties outsideAnyGroup() {
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return overrides;
  }

  /** A new reader whose client id starts with {@code clientIdPrefix}; its user closes it. */
  public static Consumer<String, String> create(
      ConsumerFactory<String, String> consumers, String clientIdPrefix) {
    return consumers.createConsumer(null, clientIdPrefix, null, outsideAnyGroup());
  }
}

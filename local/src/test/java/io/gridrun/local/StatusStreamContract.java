package io.gridrun.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the status topic the way an outside consumer would: a plain Kafka consumer and a JSON
 * parser, none of gridrun's classes; and checks each event against the published JSON Schemas.
 */
final class StatusStreamContract {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusStreamContract() {}

  /** Every message of {@code gridrun.status} from the beginning, as JSON. */
  static List<JsonNode> readAll(String bootstrap) throws IOException {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<JsonNode> events = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor("gridrun.status").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          events.add(JSON.readTree(record.value()));
        }
      }
    }
    return events;
  }

  /** Each job's final status: the last {@code job.status} event of the job. */
  static Map<String, String> finalJobStatuses(List<JsonNode> events) {
    Map<String, String> last = new LinkedHashMap<>();
    for (JsonNode event : events) {
      if ("job.status".equals(event.path("type").asText())) {
        last.put(event.path("jobId").asText(), event.path("status").asText());
      }
    }
    return last;
  }

  /** Schema violations of every event, against docs/schemas/&lt;type&gt;.schema.json. */
  static List<String> violations(List<JsonNode> events, Path schemas) throws IOException {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    Map<String, JsonSchema> byType = new LinkedHashMap<>();
    for (String type : List.of("job.status", "run.status", "step.status")) {
      byType.put(type, factory.getSchema(Files.readString(schemas.resolve(type + ".schema.json"))));
    }
    List<String> problems = new ArrayList<>();
    for (JsonNode event : events) {
      JsonSchema schema = byType.get(event.path("type").asText());
      if (schema == null) {
        problems.add("unknown type: " + event);
        continue;
      }
      Set<ValidationMessage> messages = schema.validate(event);
      messages.forEach(m -> problems.add(m.getMessage() + " in " + event));
    }
    return problems;
  }
}

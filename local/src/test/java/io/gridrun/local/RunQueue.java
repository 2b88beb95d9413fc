package io.gridrun.local;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/** The runners' run queue: the consumer group that shares the run requests' partitions. */
final class RunQueue {

  /** The runners' consumer group (runner-service's {@code RunRequestListener.GROUP}). */
  static final String GROUP = "runner-service";

  private RunQueue() {}

  /**
   * Waits until {@code runners} runners are members of the group, each with partitions, and the
   * group is stable: a healthy runner may still be joining, and one that joined after the run
   * requests were polled by the others gets none of them.
   */
  static void awaitMembersWithPartitions(String kafkaBootstrap, int runners) {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> {
                ConsumerGroupDescription group =
                    admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                return group.groupState() == GroupState.STABLE
                    && group.members().size() == runners
                    && group.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
              });
    }
  }
}

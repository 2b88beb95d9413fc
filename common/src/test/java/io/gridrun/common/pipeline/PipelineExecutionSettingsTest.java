package io.gridrun.common.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.EventCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional execution settings of pipeline files: timeouts, retries, resources, network. */
class PipelineExecutionSettingsTest {

  private static PipelineDefinition read(String json) {
    return EventCodec.mapper().readValue(json, PipelineDefinition.class);
  }

  private static PipelineDefinition withStep(String stepSettings) {
    return read(
        "{\"name\": \"p\", \"steps\": [{\"id\": \"train\", \"file\": \"t.sh\", \"environment\":"
            + " \"busybox\""
            + stepSettings
            + "}]}");
  }

  @Test
  void readsEverySettingAndIgnoresUnknownFields() {
    PipelineDefinition p =
        read(
            """
            {"name": "p", "timeout": "2h", "maxStepParallelism": 2, "futureField": 1,
             "steps": [{"id": "train", "file": "t.sh", "environment": "busybox",
                        "timeout": "30m",
                        "retries": {"max": 3, "backoff": "10s", "factor": 2, "jitter": true},
                        "resources": {"cpus": 0.5, "memory": "512m", "gpus": 1},
                        "network": true, "user": "1000:1000", "priority": "high"}]}
            """);

    assertThat(p.problems()).isEmpty();
    assertThat(p.timeLimit()).hasValue(Duration.ofHours(2));
    assertThat(p.maxStepParallelism()).isEqualTo(2);
    StepDefinition train = p.steps().get(0);
    assertThat(train.timeLimit()).hasValue(Duration.ofMinutes(30));
    assertThat(train.retryPolicy()).isEqualTo(new RetryPolicy(3, "10s", 2.0));
    assertThat(train.resourceLimits().nanoCpus()).hasValue(500_000_000L);
    assertThat(train.resourceLimits().memoryBytes()).hasValue(512L << 20);
    assertThat(train.wantsNetwork()).isTrue();
    assertThat(train.user()).isEqualTo("1000:1000");
  }

  @Test
  void absentSettingsMeanNoLimitNoRetryAndNoNetwork() {
    PipelineDefinition p = withStep("");

    StepDefinition train = p.steps().get(0);
    assertThat(p.timeLimit()).isEmpty();
    assertThat(p.maxStepParallelism()).isNull();
    assertThat(train.timeLimit()).isEmpty();
    assertThat(train.retryPolicy().attempts()).isEqualTo(1);
    assertThat(train.resourceLimits().nanoCpus()).isEmpty();
    assertThat(train.resourceLimits().memoryBytes()).isEmpty();
    assertThat(train.wantsNetwork()).isFalse();
    assertThat(train.user()).isNull();
  }

  @Test
  void writesBackWhatItReadAndNothingForAbsentSettings() {
    PipelineDefinition plain = withStep("");
    PipelineDefinition full =
        withStep(
            ", \"timeout\": \"10s\", \"retries\": {\"max\": 1}, \"resources\": {\"memory\": \"1g\"},"
                + " \"network\": false, \"user\": \"nobody\"");

    assertThat(EventCodec.mapper().writeValueAsString(plain))
        .doesNotContain("timeout", "retries", "resources", "network", "user", "maxStep");
    assertThat(read(EventCodec.mapper().writeValueAsString(full))).isEqualTo(full);
  }

  @Test
  void explainsEveryInvalidSetting() {
    assertThat(withStep(", \"timeout\": \"abc\"").problems())
        .containsExactly("step 'train': timeout 'abc' is not a duration like 30s, 10m or 2h");
    assertThat(withStep(", \"timeout\": \"0s\"").problems())
        .containsExactly("step 'train': timeout must be longer than 0");
    assertThat(
            withStep(", \"retries\": {\"max\": -1, \"backoff\": \"soon\", \"factor\": 0.5}")
                .problems())
        .containsExactly(
            "step 'train': retries.max must be between 0 and 100, not -1",
            "step 'train': retries.backoff 'soon' is not a duration like 30s, 10m or 2h",
            "step 'train': retries.factor must be between 1 and 100, not 0.5");
    assertThat(withStep(", \"resources\": {\"cpus\": 0, \"memory\": \"lots\"}").problems())
        .containsExactly(
            "step 'train': resources.cpus must be more than 0 and at most 1024, not 0.0",
            "step 'train': resources.memory 'lots' is not a size like 512m or 2g");
    assertThat(withStep(", \"resources\": {\"memory\": \"1m\"}").problems())
        .containsExactly(
            "step 'train': resources.memory must be at least 6m (Docker's minimum), not 1m");
    assertThat(withStep(", \"user\": \"root; rm\"").problems())
        .containsExactly(
            "step 'train': user 'root; rm' must be a user name or uid, optionally with ':group'"
                + " (e.g. 1000:1000)");
  }

  @Test
  void explainsAnInvalidRunTimeoutAndParallelism() {
    StepDefinition step = new StepDefinition("a", "a.sh", "busybox", null, null, null);

    assertThat(
            new PipelineDefinition("p", Map.of(), Map.of(), List.of(step), "forever", 0).problems())
        .containsExactly(
            "the pipeline's timeout 'forever' is not a duration like 30s, 10m or 2h",
            "maxStepParallelism must be at least 1, not 0");
  }

  @Test
  void aJobTimeoutCapsTheRunTimeoutUnlessThePipelinesOwnIsShorter() {
    PipelineDefinition open =
        new PipelineDefinition(
            "p", null, null, List.of(new StepDefinition("s", "s.sh", "e", null, null, null)));
    PipelineDefinition hour = new PipelineDefinition("p", null, null, open.steps(), "1h", null);

    assertThat(open.withTimeoutAtMost("30m").timeLimit())
        .contains(java.time.Duration.ofMinutes(30));
    assertThat(hour.withTimeoutAtMost("30m").timeLimit())
        .contains(java.time.Duration.ofMinutes(30));
    assertThat(hour.withTimeoutAtMost("2h").timeLimit()).contains(java.time.Duration.ofHours(1));
    assertThat(hour.withTimeoutAtMost(null)).isSameAs(hour);
  }

  @Test
  void aStepsOwnNetworkSettingWinsOverItsEnvironmentsDefault() {
    StepDefinition silent = new StepDefinition("s", "s.sh", "e", null, null, null);
    StepDefinition offline =
        new StepDefinition("s", "s.sh", "e", null, null, null, null, null, null, false, null);
    StepDefinition online =
        new StepDefinition("s", "s.sh", "e", null, null, null, null, null, null, true, null);

    assertThat(silent.wantsNetwork(false)).isFalse();
    assertThat(silent.wantsNetwork(true)).isTrue();
    assertThat(offline.wantsNetwork(true)).isFalse();
    assertThat(online.wantsNetwork(false)).isTrue();
  }
}

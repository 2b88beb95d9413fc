package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobOptionsParserTest {

  private static final String BASE = "\"name\":\"n\",\"project\":\"demo\",\"pipeline\":\"p.json\"";

  @Test
  void readsACronScheduleWithZoneOverlapAndMissedPolicy() {
    JobRequest request =
        JobRequestParser.parse(
            "{"
                + BASE
                + ",\"schedule\":{\"cron\":\"0 3 * * MON-FRI\",\"timezone\":\"Europe/Amsterdam\"},"
                + "\"overlap\":\"forbid\",\"missed\":\"all\",\"failFast\":true,\"maxRetainedRuns\":20}");

    Schedule schedule = request.options().schedule();
    assertThat(schedule.cron()).isEqualTo("0 3 * * MON-FRI");
    assertThat(schedule.timezone()).isEqualTo("Europe/Amsterdam");
    assertThat(schedule.overlap()).isEqualTo(Schedule.Overlap.FORBID);
    assertThat(schedule.missed()).isEqualTo(Schedule.Missed.ALL);
    assertThat(request.options().failFast()).isTrue();
    assertThat(request.options().maxRetainedRuns()).isEqualTo(20);
  }

  @Test
  void acceptsFiveAndSixFieldCronExpressions() {
    assertThat(JobOptionsParser.cron("*/5 * * * *").toString()).isEqualTo("0 */5 * * * *");
    assertThat(JobOptionsParser.cron("*/2 * * * * *").toString()).isEqualTo("*/2 * * * * *");
  }

  @Test
  void readsAOneOffTime() {
    JobRequest request =
        JobRequestParser.parse(
            "{" + BASE + ",\"schedule\":{\"at\":\"2026-12-01T09:00:00+01:00\"}}");

    assertThat(request.options().schedule().at())
        .isEqualTo(OffsetDateTime.parse("2026-12-01T09:00:00+01:00"));
    assertThat(request.options().schedule().recurring()).isFalse();
  }

  @Test
  void explainsEveryBadScheduleSetting() {
    assertThatThrownBy(
            () ->
                JobRequestParser.parse(
                    "{"
                        + BASE
                        + ",\"schedule\":{\"cron\":\"61 * * * *\",\"timezone\":\"Mars/Base\"},"
                        + "\"overlap\":\"sometimes\"}"))
        .isInstanceOfSatisfying(
            InvalidJobRequestException.class,
            e ->
                assertThat(String.join("\n", e.problems()))
                    .contains("overlap must be one of [allow, forbid, replace], not 'sometimes'")
                    .contains("schedule.cron '61 * * * *' is not a valid cron expression")
                    .contains("schedule.timezone 'Mars/Base' is not an IANA time zone"));
    assertThatThrownBy(
            () ->
                JobRequestParser.parse(
                    "{"
                        + BASE
                        + ",\"schedule\":{\"cron\":\"* * * * *\",\"at\":\"2026-12-01T09:00:00Z\"}}"))
        .hasMessageContaining("exactly one of 'at'");
  }

  @Test
  void readsARunTimeoutForTheJobAndRefusesOneThatIsNotAPositiveDuration() {
    assertThat(JobRequestParser.parse("{" + BASE + ",\"timeout\":\"90m\"}").options().timeout())
        .isEqualTo("90m");
    assertThat(JobRequestParser.parse("{" + BASE + "}").options().timeout()).isNull();
    for (String bad : List.of("\"soon\"", "\"0s\"", "30")) {
      assertThatThrownBy(() -> JobRequestParser.parse("{" + BASE + ",\"timeout\":" + bad + "}"))
          .isInstanceOf(InvalidJobRequestException.class)
          .hasMessageContaining("is not a positive duration like 30s, 10m or 2h");
    }
  }

  @Test
  void readsSelectionAndSnapshotReuseWithoutProjectOrPipeline() {
    JobRequest request =
        JobRequestParser.parse(
            "{\"name\":\"n\",\"snapshot\":\"s-j1\",\"runs\":[2,0],"
                + "\"exclude\":[{\"pipeline\":{\"lr\":0.01},\"steps\":{\"train\":{\"epochs\":3}}}],"
                + "\"include\":[{\"pipeline\":{\"lr\":1}}]}");

    assertThat(request.reusesSnapshot()).isTrue();
    assertThat(request.project()).isNull();
    assertThat(request.options().selection().runs()).containsExactly(0L, 2L);
    assertThat(request.options().selection().exclude().get(0).step("train"))
        .containsEntry("epochs", 3);
    assertThat(request.options().selection().include().get(0).pipeline()).containsEntry("lr", 1);
  }

  @Test
  void rejectsASelectionThatLeavesNoRun() {
    PipelineDefinition pipeline =
        new PipelineDefinition(
            "p",
            Map.of("lr", 0.1),
            Map.of(),
            List.of(new StepDefinition("a", "a.sh", "busybox", null, null, null)));
    JobRequest request =
        JobRequestParser.parse(
            "{"
                + BASE
                + ",\"grid\":{\"pipeline\":{\"lr\":[0.1]}},\"exclude\":[{\"pipeline\":{\"lr\":0.1}}]}");

    assertThatThrownBy(
            () ->
                new JobRequestValidator(10)
                    .validate(request, pipeline, java.util.Set.of("busybox")))
        .hasMessageContaining("at least one combination must remain");
  }

  @Test
  void duplicationDropsParametersThePipelineNoLongerHas() {
    PipelineDefinition now =
        new PipelineDefinition(
            "p",
            Map.of("lr", 0.1),
            Map.of(),
            List.of(
                new StepDefinition("train", "t.sh", "busybox", null, Map.of("epochs", 1), null)));
    ParameterGrid old =
        new ParameterGrid(
            Map.of("lr", List.of(0.1, 0.2), "momentum", List.of(0.9)),
            Map.of(
                "train", Map.of("epochs", List.of(1, 2), "dropout", List.of(0.5)),
                "gone", Map.of("k", List.of(1))));

    ParameterGrid pruned = GridPruner.prune(old, now);

    assertThat(pruned.pipeline()).containsOnlyKeys("lr");
    assertThat(pruned.steps()).containsOnlyKeys("train");
    assertThat(pruned.steps().get("train")).containsOnlyKeys("epochs");
  }

  @Test
  void capsNameTheirLimitAndSetting() {
    String big = "x".repeat(4097);
    assertThatThrownBy(
            () ->
                JobRequestParser.parse(
                    "{" + BASE + ",\"grid\":{\"pipeline\":{\"lr\":[\"" + big + "\"]}}}"))
        .hasMessageContaining("grid.pipeline.lr[0] is 4097 bytes")
        .hasMessageContaining("gridrun.gateway.limits.max-parameter-bytes");
    assertThatThrownBy(
            () ->
                JobRequestParser.parse(
                    "{" + BASE + ",\"exclude\":[{\"pipeline\":{\"lr\":\"" + big + "\"}}]}"))
        .hasMessageContaining("exclude[0].pipeline.lr is 4097 bytes");
    assertThatThrownBy(
            () -> JobRequestParser.parse("{" + BASE + ",\"env\":{\"A\":\"" + big + "\"}}"))
        .hasMessageContaining("env.A is 4097 bytes");
    assertThat(
            JobRequestParser.parse(
                    "{"
                        + BASE
                        + ",\"grid\":{\"pipeline\":{\"lr\":[\""
                        + big.substring(1)
                        + "\"]}}}")
                .grid()
                .pipeline())
        .containsKey("lr");

    assertThatThrownBy(() -> JobRequestParser.parse("{" + BASE + ",\"timeout\":\"31d\"}"))
        .hasMessageContaining("longer than the limit of PT720H")
        .hasMessageContaining("gridrun.gateway.limits.max-timeout");
    // far beyond any limit: not a duration at all (it was accepted, then overflowed)
    assertThatThrownBy(() -> JobRequestParser.parse("{" + BASE + ",\"timeout\":\"400000000000d\"}"))
        .hasMessageContaining("timeout '400000000000d' is not a positive duration");
    assertThat(JobRequestParser.parse("{" + BASE + ",\"timeout\":\"30d\"}").options().timeout())
        .isEqualTo("30d");

    assertThatThrownBy(
            () ->
                JobRequestParser.parse("{" + BASE + ",\"schedule\":{\"cron\":\"*/2 * * * * *\"}}"))
        .hasMessageContaining("fires PT2S apart")
        .hasMessageContaining("gridrun.schedule.min-interval");
    assertThatThrownBy(
            () ->
                JobRequestParser.parse("{" + BASE + ",\"schedule\":{\"cron\":\"0,30 * * * * *\"}}"))
        .hasMessageContaining("fires PT30S apart");
    assertThat(
            JobRequestParser.parse("{" + BASE + ",\"schedule\":{\"cron\":\"* * * * *\"}}")
                .options()
                .schedule())
        .isNotNull();
    JobLimits secondly = new JobLimits(4096, Duration.ofDays(30), Duration.ofSeconds(1));
    assertThat(
            JobRequestParser.parse(
                    "{" + BASE + ",\"schedule\":{\"cron\":\"*/2 * * * * *\"}}", secondly)
                .options()
                .schedule())
        .isNotNull();
  }
}

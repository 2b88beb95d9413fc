package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The custom constraints of {@link JobSubmission}, and the binding of wrongly typed values. */
class JobSubmissionRulesTest {

  private static final String BASE = "\"name\":\"n\",\"project\":\"demo\",\"pipeline\":\"p.json\"";

  private static List<String> problems(String json) {
    return problems(json, JobLimits.DEFAULTS);
  }

  private static List<String> problems(String json, JobLimits limits) {
    return JobSubmissions.problems(JobSubmissions.read(json), limits);
  }

  private static List<String> unreadable(String json) {
    try {
      JobSubmissions.read(json);
    } catch (InvalidJobRequestException e) {
      return e.problems();
    }
    throw new AssertionError("bound: " + json);
  }

  @Test
  void projectAndPipelineAreRequiredUnlessASnapshotIsReused() {
    assertThat(problems("{\"name\":\"n\"}"))
        .containsExactly(
            "project is required and must be a non-empty string",
            "pipeline is required and must be a non-empty string");
    assertThat(problems("{\"name\":\"n\",\"snapshot\":\"s-1\"}")).isEmpty();
    // a name that is not a string is no name
    assertThat(problems("{\"name\":5,\"project\":\"demo\",\"pipeline\":\"p.json\"}"))
        .containsExactly("name is required and must be a non-empty string");
  }

  @Test
  void scheduleRulesReadTheSettingsBesideTheScheduleToo() {
    assertThat(problems("{" + BASE + ",\"overlap\":\"never\",\"missed\":\"some\"}"))
        .containsExactly(
            "overlap must be one of [allow, forbid, replace], not 'never'",
            "missed must be one of [none, last, all], not 'some'");
    assertThat(
            problems("{" + BASE + ",\"schedule\":{\"cron\":\"0 3 * * *\"},\"timezone\":\"X/Y\"}"))
        .containsExactly("schedule.timezone 'X/Y' is not an IANA time zone, e.g. Europe/Amsterdam");
    assertThat(problems("{" + BASE + ",\"schedule\":{}}"))
        .containsExactly("schedule needs exactly one of 'at' (a time) or 'cron' (an expression)");
    assertThat(problems("{" + BASE + ",\"schedule\":{\"at\":\"tomorrow\"}}"))
        .containsExactly(
            "schedule.at 'tomorrow' is not an ISO-8601 time with offset, e.g. 2026-12-01T09:00:00+01:00");
    JobLimits hourly = new JobLimits(4096, Duration.ofDays(30), Duration.ofHours(1));
    assertThat(problems("{" + BASE + ",\"schedule\":{\"cron\":\"*/5 * * * *\"}}", hourly))
        .singleElement()
        .asString()
        .contains("fires PT5M apart")
        .contains("one firing per PT1H");
  }

  @Test
  void valueLimitsSpanGridSelectionAndEnv() {
    JobLimits small = new JobLimits(4, Duration.ofDays(30), Duration.ofMinutes(1));
    assertThat(
            problems(
                "{"
                    + BASE
                    + ",\"grid\":{\"steps\":{\"t\":{\"k\":[\"12345\"]}}},"
                    + "\"include\":[{\"pipeline\":{\"a\":\"12345\"}}],\"env\":{\"E\":123456}}",
                small))
        .containsExactly(
            "include[0].pipeline.a is 5 bytes, more than the limit of 4 bytes per value"
                + " (gridrun.gateway.limits.max-parameter-bytes)",
            "grid.steps.t.k[0] is 5 bytes, more than the limit of 4 bytes per value"
                + " (gridrun.gateway.limits.max-parameter-bytes)",
            "env.E is 6 bytes, more than the limit of 4 bytes per value"
                + " (gridrun.gateway.limits.max-parameter-bytes)");
  }

  @Test
  void variableNamesOfEnvAndSecretsAreChecked() {
    assertThat(
            problems(
                "{"
                    + BASE
                    + ",\"env\":{\"1A\":\"x\",\"B\":[1]},\"secrets\":{\"TOKEN\":\"v\",\"a-b\":\"v\"}}"))
        .containsExactly(
            "env variable name '1A' is not a valid variable name",
            "env.B must be a string, number or boolean",
            "secrets variable name 'a-b' is not a valid variable name");
  }

  @Test
  void theUsersTextInAMessageIsNeverInterpolated() {
    assertThat(problems("{\"name\":\"n\",\"project\":\"${1+1}{x}\",\"pipeline\":\"/{a}\"}"))
        .containsExactly(
            "project '${1+1}{x}' is not a valid project name",
            "pipeline '/{a}' must be a relative path inside the project");
    assertThat(problems("{" + BASE + ",\"exclude\":[null]}"))
        .containsExactly(
            "exclude entries must look like {\"pipeline\": {\"lr\": 0.1}, \"steps\": {\"train\": {\"epochs\": 3}}}");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedByItsField() {
    assertThat(unreadable("{" + BASE + ",\"maxParallelRuns\":\"2\"}"))
        .containsExactly("maxParallelRuns must be a positive whole number");
    assertThat(unreadable("{" + BASE + ",\"maxRetainedRuns\":2.5}"))
        .containsExactly("maxRetainedRuns must be a positive whole number");
    assertThat(unreadable("{" + BASE + ",\"failFast\":\"yes\"}"))
        .containsExactly("failFast must be true or false");
    assertThat(unreadable("{" + BASE + ",\"runs\":[1,\"2\"]}"))
        .containsExactly("runs must be a list of grid indices, e.g. [0, 2, 5]");
    assertThat(unreadable("{" + BASE + ",\"grid\":{\"steps\":{\"train\":[1]}}}"))
        .containsExactly(
            "grid.steps.train must be an object of parameter name to a list of values");
    assertThat(unreadable("{" + BASE + ",\"exclude\":[{\"steps\":{\"t\":3}}]}"))
        .containsExactly(
            "exclude entries must look like {\"pipeline\": {\"lr\": 0.1}, \"steps\": {\"train\": {\"epochs\": 3}}}");
    assertThat(unreadable("{" + BASE + ",\"schedule\":\"daily\"}"))
        .containsExactly(
            "schedule must be an object: {\"at\": time} or {\"cron\": expression, \"timezone\": zone}");
    assertThat(unreadable("[1, 2]")).containsExactly("the body must be a JSON object");
    assertThat(unreadable("null")).containsExactly("the body must be a JSON object");
    assertThatThrownBy(() -> JobSubmissions.read("{\"name\": "))
        .hasMessageStartingWith("the body is not valid JSON (or nests deeper than allowed): ");
  }
}

package io.gridrun.gateway.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.platform.web.StrictJson;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /api/v1/jobs} (and of the preview), bound by Jackson and checked with
 * Bean Validation ({@link JobSubmissions}); each mistake gets its own message naming the field
 * ("grid.pipeline.lr must be a list of values"). Unknown fields are ignored, as everywhere in
 * gridrun. Fields bind as strictly as the API documents ({@link StrictJson}).
 *
 * @param project required unless {@code snapshot} names a snapshot to re-use
 * @param secrets write-only: names like env names, values never shown (see docs/security.md)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@SubmissionRules.ProjectUnlessSnapshot
@SubmissionRules.ScheduleRules
@SubmissionRules.ValueLimits
@Schema(
    description = "A job: the pipeline of a project run once per combination of the grid",
    example = JobSubmission.EXAMPLE)
public record JobSubmission(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "lr-sweep")
        @JsonDeserialize(using = StrictJson.TextOrNull.class)
        @NotBlank(message = "name is required and must be a non-empty string")
        String name,
    @Schema(description = "a project uploaded with PUT /api/v1/projects/{name}", example = "demo")
        @JsonDeserialize(using = StrictJson.TextOrNull.class)
        @FieldRules.ProjectName
        String project,
    @Schema(description = "a pipeline file of the project", example = "train.pipeline.json")
        @JsonDeserialize(using = StrictJson.TextOrNull.class)
        @FieldRules.PipelinePath
        String pipeline,
    @FieldRules.GridAxes Grid grid,
    @Schema(
            description = "environment variables of every step (string, number or boolean values)",
            additionalPropertiesSchema = String.class)
        @FieldRules.VariableNames(field = "env")
        Map<String, Object> env,
    @Schema(description = "at most this many runs of the job execute at once", minimum = "1")
        @JsonDeserialize(using = StrictJson.WholeNumber.class)
        @Positive(message = "maxParallelRuns must be a positive whole number")
        Integer maxParallelRuns,
    @Schema(description = "partial combinations to drop")
        List<@NotNull(message = "exclude" + COMBINATION_TEMPLATE) Combination> exclude,
    @Schema(description = "extra combinations appended after the grid")
        List<@NotNull(message = "include" + COMBINATION_TEMPLATE) Combination> include,
    @Schema(description = "the grid indices to keep; at least one run must remain")
        @JsonDeserialize(contentUsing = StrictJson.Index.class)
        List<Long> runs,
    ScheduleSpec schedule,
    @Schema(
            description = "a cron firing while the previous batch runs",
            allowableValues = {"allow", "forbid", "replace"})
        @JsonDeserialize(using = StrictJson.ScalarText.class)
        String overlap,
    @Schema(
            description = "firings missed while job-service was down (default last)",
            allowableValues = {"none", "last", "all"})
        @JsonDeserialize(using = StrictJson.ScalarText.class)
        String missed,
    @Schema(description = "the schedule's IANA time zone (also schedule.timezone)")
        @JsonDeserialize(using = StrictJson.ScalarText.class)
        String timezone,
    @Schema(description = "the first failed run cancels the job's remaining runs")
        @JsonDeserialize(using = StrictJson.Flag.class)
        Boolean failFast,
    @Schema(description = "older finished runs beyond this many lose their working copies")
        @JsonDeserialize(using = StrictJson.WholeNumber.class)
        @Positive(message = "maxRetainedRuns must be a positive whole number")
        Integer maxRetainedRuns,
    @Schema(description = "the id of an existing snapshot to re-use instead of project + pipeline")
        @JsonDeserialize(using = StrictJson.Text.class)
        String snapshot,
    @Schema(description = "limit of each run: ms, s, m, h or d", example = "2h")
        @JsonDeserialize(using = StrictJson.ScalarText.class)
        @FieldRules.RunTimeout
        String timeout,
    @Schema(
            description = "secret variables of every step, write-only (never shown)",
            accessMode = Schema.AccessMode.WRITE_ONLY)
        @FieldRules.VariableNames(field = "secrets")
        Map<String, String> secrets,
    @Schema(
            description =
                "Orchest's run selection (job.parameters): one entry per run, pipeline uuid or step"
                    + " uuid/title → parameter values; instead of exclude/runs")
        List<Map<String, Map<String, Object>>> parameters) {

  static final String COMBINATION =
      " entries must look like {\"pipeline\": {\"lr\": 0.1}, \"steps\": {\"train\": {\"epochs\": 3}}}";

  /** {@link #COMBINATION} as a Bean Validation message template, its braces escaped. */
  static final String COMBINATION_TEMPLATE =
      " entries must look like \\{\"pipeline\": \\{\"lr\": 0.1\\}, \"steps\": \\{\"train\": \\{\"epochs\": 3\\}\\}\\}";

  static final String EXAMPLE =
      """
      { "name": "lr-sweep", "project": "demo", "pipeline": "train.pipeline.json",
        "grid": { "pipeline": { "lr": [0.1, 0.01] },
                  "steps": { "train": { "epochs": [1, 2, 3] } } },
        "env": { "MODE": "full" },
        "maxParallelRuns": 2 }
      """;

  /** The parameter grid: pipeline parameters and each step's, every one a list of values. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Grid(
      @Schema(description = "parameter name → list of values") Map<String, Object> pipeline,
      @Schema(description = "step id → parameter name → list of values")
          Map<String, Map<String, Object>> steps) {}

  /** A partial combination of parameter values. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Combination(Map<String, Object> pipeline, Map<String, Map<String, Object>> steps) {}

  /** {@code {"at": time}} once, or {@code {"cron": expression, "timezone": zone}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ScheduleSpec(
      @Schema(description = "an ISO-8601 time with offset", example = "2026-12-01T09:00:00+01:00")
          @JsonDeserialize(using = StrictJson.ScalarText.class)
          String at,
      @Schema(description = "5-field Unix or 6-field with seconds", example = "0 3 * * MON-FRI")
          @JsonDeserialize(using = StrictJson.ScalarText.class)
          String cron,
      @Schema(example = "Europe/Amsterdam") @JsonDeserialize(using = StrictJson.ScalarText.class)
          String timezone,
      @JsonDeserialize(using = StrictJson.ScalarText.class) String overlap,
      @JsonDeserialize(using = StrictJson.ScalarText.class) String missed) {}
}

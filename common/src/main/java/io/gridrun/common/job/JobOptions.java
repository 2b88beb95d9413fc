package io.gridrun.common.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A job's settings beyond its grid, all optional.
 *
 * @param selection which grid combinations become runs
 * @param schedule null = run now
 * @param failFast the first failed run cancels the job's remaining runs
 * @param maxRetainedRuns after each batch, the oldest finished runs beyond this many lose their
 *     working copies (their status and logs are kept); null = keep all
 * @param snapshotId re-use this existing snapshot instead of taking a new one
 * @param timeout limit of each run, a duration like {@code 2h}; a pipeline's own {@code timeout}
 *     still applies when it is shorter
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobOptions(
    RunSelection selection,
    Schedule schedule,
    Boolean failFast,
    Integer maxRetainedRuns,
    String snapshotId,
    String timeout) {

  public static final JobOptions DEFAULTS = new JobOptions(null, null, null, null, null, null);

  /** Options without a run timeout of the job's own. */
  public JobOptions(
      RunSelection selection,
      Schedule schedule,
      Boolean failFast,
      Integer maxRetainedRuns,
      String snapshotId) {
    this(selection, schedule, failFast, maxRetainedRuns, snapshotId, null);
  }

  @com.fasterxml.jackson.annotation.JsonCreator
  public JobOptions {
    selection = selection == null ? RunSelection.ALL : selection;
    failFast = failFast != null && failFast;
  }
}

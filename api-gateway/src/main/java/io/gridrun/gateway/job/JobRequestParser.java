package io.gridrun.gateway.job;

/**
 * Reads the JSON of {@code POST /api/v1/jobs} into a {@link JobRequest}: binds it to a {@link
 * JobSubmission} and checks that with Bean Validation ({@link JobSubmissions}), as the HTTP layer
 * does, so that each mistake gets its own message naming the field ("grid.pipeline.lr must be a
 * list of values"). Unknown fields are ignored, as everywhere in gridrun.
 */
public final class JobRequestParser {

  private JobRequestParser() {}

  public static JobRequest parse(String body) {
    return parse(body, JobLimits.DEFAULTS);
  }

  public static JobRequest parse(String body, JobLimits limits) {
    return JobSubmissions.toRequest(JobSubmissions.read(body), limits);
  }
}

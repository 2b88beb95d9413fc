package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * Runs whose working copies are no longer needed: every runner deletes the ones it holds. Sent when
 * a job is deleted and when runs fall beyond a job's {@code maxRetainedRuns}. Topic {@link
 * Topics#CONTROL}, key = job id.
 *
 * @param runIds the runs concerned; null = every run of the job
 * @param logsToo whether the runs' logs go as well (a deleted job), or stay (retention)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkingCopiesReleased(
    String eventId, String jobId, Instant at, List<String> runIds, boolean logsToo)
    implements GridrunEvent {

  public static final String TYPE = "run.working-copies-released";

  public WorkingCopiesReleased {
    runIds = runIds == null ? null : List.copyOf(runIds);
  }

  @Override
  public String topic() {
    return Topics.CONTROL;
  }
}

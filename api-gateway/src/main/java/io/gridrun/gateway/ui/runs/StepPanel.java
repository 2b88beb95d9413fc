package io.gridrun.gateway.ui.runs;

import io.gridrun.gateway.ui.UiFormat;
import io.gridrun.gateway.ui.UiProblem;
import io.gridrun.gateway.ui.UiText;
import java.util.List;
import java.util.Map;

/**
 * The selected step's panel: what the run says about the step, its log (or why there is none) and
 * links to what else the API has for it.
 *
 * @param log the log as far as it was read, null when there is none to show
 * @param logProblem why the log could not be read (e.g. the step has not started)
 * @param follow whether the browser follows the log live (the step has not ended)
 * @param notebook whether the API has the step's rendered notebook
 * @param artifacts what the step kept in its outputs directory, as the API lists it
 */
public record StepPanel(
    ApiRun.Step step,
    String title,
    Map<String, Object> metrics,
    UiText log,
    UiProblem logProblem,
    boolean follow,
    boolean timestamps,
    boolean notebook,
    List<Artifact> artifacts) {

  /** One kept file: its path, size, and the API's download address. */
  public record Artifact(String path, long size, String url) {

    /** Images are previewed in the panel. */
    public boolean image() {
      String lower = path.toLowerCase(java.util.Locale.ROOT);
      return lower.endsWith(".png")
          || lower.endsWith(".jpg")
          || lower.endsWith(".jpeg")
          || lower.endsWith(".svg")
          || lower.endsWith(".gif");
    }
  }

  public String duration() {
    return UiFormat.duration(step.startedAt(), step.finishedAt());
  }

  public String started() {
    return UiFormat.time(step.startedAt());
  }

  public String finished() {
    return UiFormat.time(step.finishedAt());
  }

  public String status() {
    return step.status() == null ? "PENDING" : step.status();
  }

  public List<AttemptRow> attempts() {
    return step.attempts().stream()
        .map(
            a ->
                new AttemptRow(
                    a.attempt(),
                    a.exitCode(),
                    a.reason(),
                    UiFormat.time(a.startedAt()),
                    UiFormat.duration(a.startedAt(), a.finishedAt())))
        .toList();
  }

  public record AttemptRow(
      Integer attempt, Integer exitCode, String reason, String started, String duration) {}
}

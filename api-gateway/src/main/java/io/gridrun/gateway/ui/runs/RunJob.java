package io.gridrun.gateway.ui.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The run's job, as far as the Run page names it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunJob(String id, String name, String project, String pipeline, String snapshotId) {

  static RunJob unknown(String id) {
    return new RunJob(id, id, null, null, null);
  }
}

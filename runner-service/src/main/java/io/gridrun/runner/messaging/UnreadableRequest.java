package io.gridrun.runner.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.pipeline.ProjectPaths;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** What a run request that is not a valid event still says about its job, run and attempt. */
record UnreadableRequest(String jobId, String runId, int attempt) {

  /** The ids, when the message is a JSON object naming a job and a safe run id; else empty. */
  static Optional<UnreadableRequest> of(String json) {
    JsonNode tree;
    try {
      tree = EventCodec.mapper().readTree(json);
    } catch (RuntimeException notJson) {
      return Optional.empty();
    }
    if (tree == null || !tree.isObject()) {
      return Optional.empty();
    }
    String jobId = text(tree, "jobId");
    String runId = text(tree, "runId");
    if (jobId == null || runId == null || !ProjectPaths.isSafeName(runId)) {
      return Optional.empty();
    }
    JsonNode attempt = tree.get("attempt");
    return Optional.of(
        new UnreadableRequest(
            jobId, runId, attempt != null && attempt.canConvertToInt() ? attempt.asInt() : 1));
  }

  private static String text(JsonNode tree, String field) {
    JsonNode value = tree.get(field);
    return value != null && value.isString() && !value.asString().isBlank()
        ? value.asString()
        : null;
  }
}

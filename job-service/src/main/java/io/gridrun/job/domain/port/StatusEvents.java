package io.gridrun.job.domain.port;

import java.time.Instant;

/**
 * Job, run and step state changes for {@code gridrun.status}. Sends are collected per handling
 * thread and awaited together by {@link #flush()}, before the triggering event counts as handled.
 */
public interface StatusEvents {

  void job(String jobId, String previous, String status, String reason, Instant at);

  void run(
      String jobId,
      String runId,
      int batch,
      String previous,
      String status,
      String reason,
      Instant at);

  void step(
      String jobId,
      String runId,
      String stepId,
      int batch,
      String previous,
      String status,
      String reason,
      Instant at);

  /** Waits until every status event this thread sent is on the broker. */
  void flush();
}

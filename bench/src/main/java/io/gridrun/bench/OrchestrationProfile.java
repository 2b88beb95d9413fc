package io.gridrun.bench;

/**
 * Where orchestration time went (issue 19 §2), as profiled with JDK Flight Recorder, and what
 * changed: printed under the fleet section so that a regenerated docs/benchmarks.md keeps it.
 */
final class OrchestrationProfile {

  private OrchestrationProfile() {}

  static final String NOTES =
      """

      ### Where the time went (issue 19 §2, profiled 2026-11-30)

      Profiled with `FleetMain --fleets 1 --jfr` (a flight recording of job-service and of the \
      runner, `settings=profile`), samples grouped by their gridrun frames, on the shared 2-core \
      machine (load 25–45: absolute times there mean nothing, shares and same-time comparisons do).

      - **Dispatch**: job-service wrote one lease document per run request (the start deadline) \
      and waited for each write: in the dispatch of a 3 000-run job, `Dispatch.awaitStart → \
      LeaseStore.put` was the largest single share of job-service's samples (138 of 683), with \
      most of the MongoDB driver's and Spring Data's samples (238 and 82) serving those writes; \
      encoding and sending the requests came next (`EventCodec.encode`, `KafkaOutbox.send`, about \
      50). Now a chunk's deadlines (500 requests) are one unordered bulk write \
      (`Leases.putAll`), while the chunk's sends are in flight; the cursor is saved only after \
      both. Same job, both versions started together on the same machine: dispatch took about \
      357 s before and 46 s after (first to last sample in `Dispatch.dispatch`), expansion and \
      dispatch together 368 s and 70 s.
      - **Run events**: every run event (5 for a two-step run) read the run and the job and \
      replaced both whole; the job document (definition, manifest, environments, counters) was \
      rewritten 5 times per run. Now a batch of events (one poll, up to 200) reads each job once \
      and writes it once when the batch ends (`BatchJobs`), after the runs and before the status \
      events are awaited and the offsets committed; run documents are still found and replaced \
      per event (the next step: keep them per batch too).
      - **Runner**: its samples were mostly the Kafka client (101 of 244: each execution event is \
      its own awaited send with `linger.ms` 0), Jackson (decoding the request, encoding events), \
      and materialising the working copy; nothing was changed there in this round.
      - Not measured to the end here: the runs/min and latency targets (the machine was too loaded \
      for a fleet window to count runs); the quiet-machine run of this benchmark gives them.
      """;
}

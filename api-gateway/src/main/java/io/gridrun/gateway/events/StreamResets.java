package io.gridrun.gateway.events;

import io.gridrun.common.event.EventCodec;
import io.gridrun.gateway.job.JobServiceClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a client whose {@code Last-Event-ID} belongs to another event log is sent before live
 * events: a {@code stream.reset} event saying so, then the current state: with {@code ?job=}, the
 * job's status now as a {@code job.status} event (read from job-service; left out when it does not
 * answer or does not know the job). Both carry the id of the tail they follow from.
 */
@Component
class StreamResets {

  static final String TYPE = "stream.reset";

  private final JobServiceClient jobs;
  private final Clock clock;

  @org.springframework.beans.factory.annotation.Autowired
  StreamResets(JobServiceClient jobs) {
    this(jobs, Clock.systemUTC());
  }

  StreamResets(JobServiceClient jobs, Clock clock) {
    this.jobs = jobs;
    this.clock = clock;
  }

  Flux<ServerSentEvent<String>> announce(String job, String reason, String epoch, String id) {
    Map<String, Object> reset = new LinkedHashMap<>();
    reset.put("type", TYPE);
    reset.put("reason", reason);
    reset.put("epoch", epoch);
    reset.put("jobId", job);
    Flux<ServerSentEvent<String>> first = Flux.just(event(id, TYPE, json(reset)));
    if (job == null) {
      return first;
    }
    Mono<ServerSentEvent<String>> state =
        jobs.job(job)
            .map(body -> event(id, "job.status", json(jobStatus(job, body))))
            .onErrorResume(RuntimeException.class, unavailable -> Mono.empty());
    return first.concatWith(state);
  }

  /** The job's status now, shaped as a status event of the topic (docs/events.md). */
  private Map<String, Object> jobStatus(String job, String body) {
    Map<?, ?> current = EventCodec.mapper().readValue(body, Map.class);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("type", "job.status");
    status.put("version", 1);
    status.put("eventId", UUID.randomUUID().toString());
    status.put("jobId", job);
    status.put("runId", null);
    status.put("stepId", null);
    status.put("batch", null);
    status.put("status", current.get("status"));
    status.put("previousStatus", null);
    status.put("at", clock.instant().toString());
    status.put("reason", current.get("reason"));
    return status;
  }

  private static ServerSentEvent<String> event(String id, String type, String data) {
    return ServerSentEvent.<String>builder().id(id).event(type).data(data).build();
  }

  private static String json(Map<String, Object> value) {
    return EventCodec.mapper().writeValueAsString(value);
  }
}

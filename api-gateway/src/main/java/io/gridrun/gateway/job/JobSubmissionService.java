package io.gridrun.gateway.job;

import io.gridrun.common.event.JobCreated;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.gateway.config.GatewayProperties;
import io.gridrun.platform.messaging.EventPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Accepts a job: reads the request, checks it against the project's pipeline (or the re-used
 * snapshot's) and the registered environments, and publishes {@link JobCreated}. Nothing is
 * published for a rejected job.
 */
@Service
public class JobSubmissionService {

  private final SnapshotServiceClient snapshots;
  private final JobServiceClient jobs;
  private final EventPublisher publisher;
  private final GatewayProperties properties;
  private final JobRequestValidator validator;
  private final Clock clock;

  public JobSubmissionService(
      SnapshotServiceClient snapshots,
      JobServiceClient jobs,
      EventPublisher publisher,
      GatewayProperties properties) {
    this.snapshots = snapshots;
    this.jobs = jobs;
    this.publisher = publisher;
    this.properties = properties;
    this.validator = new JobRequestValidator(properties.maxGridSize());
    this.clock = Clock.systemUTC();
  }

  /** Returns the new job's id once {@code JobCreated} is on the broker. */
  public Mono<String> submit(String body) {
    return submit(JobRequestParser.parse(body));
  }

  public Mono<String> submit(JobRequest request) {
    return prepare(request).flatMap(this::publish);
  }

  /** Validates a request without creating anything. */
  public Mono<PreparedJob> prepare(JobRequest request) {
    Mono<PipelineDefinition> pipeline =
        request.reusesSnapshot()
            ? snapshots.snapshotPipeline(request.options().snapshotId())
            : snapshots.pipeline(request.project(), request.pipeline());
    return pipeline.flatMap(
        definition ->
            registeredEnvironments(definition)
                .map(
                    registered ->
                        new PreparedJob(
                            request,
                            definition,
                            validator.validate(request, definition, registered))));
  }

  private Mono<Set<String>> registeredEnvironments(PipelineDefinition pipeline) {
    return Flux.fromIterable(
            pipeline.steps().stream()
                .map(StepDefinition::environment)
                .filter(e -> e != null && !e.isBlank())
                .collect(Collectors.toCollection(LinkedHashSet::new)))
        .concatMap(snapshots::environmentState)
        .collectList()
        .map(JobSubmissionService::registeredAndReady);
  }

  /**
   * The registered environments; a job using one that gridrun builds and that has no {@code READY}
   * version yet (building, or every build failed) is refused.
   */
  static Set<String> registeredAndReady(List<SnapshotServiceClient.EnvironmentState> states) {
    List<String> notReady =
        states.stream()
            .filter(s -> s.registered() && s.notReady() != null)
            .map(
                s ->
                    "environment '"
                        + s.name()
                        + "' has no READY version ("
                        + s.notReady()
                        + "); GET /api/v1/environments/"
                        + s.name())
            .toList();
    if (!notReady.isEmpty()) {
      throw new InvalidJobRequestException(notReady);
    }
    return states.stream()
        .filter(SnapshotServiceClient.EnvironmentState::registered)
        .map(SnapshotServiceClient.EnvironmentState::name)
        .collect(Collectors.toSet());
  }

  private Mono<String> publish(PreparedJob job) {
    JobRequest request = job.request();
    Instant now = clock.instant();
    String jobId = JobIds.next(now);
    JobCreated event =
        new JobCreated(
            UUID.randomUUID().toString(),
            jobId,
            now,
            request.name(),
            request.project(),
            request.pipeline(),
            request.grid(),
            request.env(),
            request.maxParallelRuns(),
            request.options());
    return publisher
        .publishReactive(event)
        .then(jobs.awaitVisible(jobId, properties.visibilityWait()))
        .thenReturn(jobId);
  }
}

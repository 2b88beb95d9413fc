package io.gridrun.gateway.job;

import io.gridrun.common.event.JobCreated;
import io.gridrun.common.pipeline.EnvironmentNames;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.gateway.config.GatewayProperties;
import io.gridrun.gateway.config.LimitsProperties;
import io.gridrun.gateway.config.ScheduleProperties;
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
  private final NetworkPolicyCheck networkPolicy;
  private final Clock clock;
  private final JobLimits limits;

  public JobSubmissionService(
      SnapshotServiceClient snapshots,
      JobServiceClient jobs,
      EventPublisher publisher,
      GatewayProperties properties,
      LimitsProperties limits,
      ScheduleProperties schedule,
      @org.springframework.beans.factory.annotation.Value(
              "${gridrun.runner.network-policy:allowed}")
          String networkPolicy) {
    this.limits =
        new JobLimits(limits.maxParameterBytes(), limits.maxTimeout(), schedule.minInterval());
    this.snapshots = snapshots;
    this.jobs = jobs;
    this.publisher = publisher;
    this.properties = properties;
    this.validator = new JobRequestValidator(properties.maxGridSize(), limits.maxRunsPerJob());
    this.networkPolicy = new NetworkPolicyCheck(networkPolicy);
    this.clock = Clock.systemUTC();
  }

  /** Returns the new job's id once {@code JobCreated} is on the broker. */
  public Mono<String> submit(JobSubmission submission) {
    return submit(request(submission));
  }

  /** Checks a bound submission under the configured limits. */
  public JobRequest request(JobSubmission submission) {
    return JobSubmissions.toRequest(submission, limits);
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
            prepare(
                OrchestRuns.apply(StepTitles.resolve(request, definition), definition),
                definition));
  }

  private Mono<PreparedJob> prepare(JobRequest request, PipelineDefinition definition) {
    return checkEnvironmentNames(definition)
        .then(Mono.fromRunnable(() -> networkPolicy.check(definition)))
        .then(environmentStates(definition))
        .map(
            states -> {
              Set<String> registered = registeredAndReady(states);
              networkPolicy.check(definition, networked(states));
              return new PreparedJob(
                  request, definition, validator.validate(request, definition, registered));
            });
  }

  /**
   * Environment names are checked as names before any is looked up: a name is never a URL or a path
   * that could make the gateway send a request elsewhere.
   */
  private static Mono<Void> checkEnvironmentNames(PipelineDefinition pipeline) {
    List<String> problems =
        pipeline.steps().stream()
            .filter(step -> step.environment() != null && !step.environment().isBlank())
            .filter(step -> !EnvironmentNames.isValid(step.environment()))
            .map(
                step ->
                    "step '"
                        + step.id()
                        + "' names environment '"
                        + step.environment()
                        + "', which is not a valid environment name ("
                        + EnvironmentNames.RULE
                        + ")")
            .toList();
    return problems.isEmpty() ? Mono.empty() : Mono.error(new InvalidJobRequestException(problems));
  }

  private Mono<List<SnapshotServiceClient.EnvironmentState>> environmentStates(
      PipelineDefinition pipeline) {
    return Flux.fromIterable(
            pipeline.steps().stream()
                .map(StepDefinition::environment)
                .filter(e -> e != null && !e.isBlank())
                .collect(Collectors.toCollection(LinkedHashSet::new)))
        .concatMap(snapshots::environmentState)
        .collectList();
  }

  /** The registered environments whose steps get a network unless a step says otherwise. */
  private static Set<String> networked(List<SnapshotServiceClient.EnvironmentState> states) {
    return states.stream()
        .filter(s -> s.registered() && s.network())
        .map(SnapshotServiceClient.EnvironmentState::name)
        .collect(Collectors.toSet());
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

package io.gridrun.snapshot.snapshot;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.JobDeleted;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.platform.messaging.FailureKind;
import io.gridrun.snapshot.environment.Environment;
import io.gridrun.snapshot.environment.EnvironmentStore;
import io.gridrun.snapshot.image.ImageResolver;
import io.gridrun.snapshot.project.Projects;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a job's snapshot: the project's files into the blob store, the pipeline as it is now, and
 * each environment the pipeline uses pinned to the image id its reference points to now. A
 * redelivered request publishes the snapshot taken the first time.
 */
public class SnapshotService {

  private static final Logger log = LoggerFactory.getLogger(SnapshotService.class);

  private final Projects projects;
  private final EnvironmentStore environments;
  private final ImageResolver images;
  private final ProjectCopier copier;
  private final SnapshotStore snapshots;
  private final SnapshotUsers users;
  private final EventPublisher publisher;
  private final Clock clock;
  private final io.micrometer.core.instrument.MeterRegistry meters;

  private final io.gridrun.snapshot.project.ProjectEnv projectEnv;

  /**
   * @param projectEnv the projects' environment variables, applied below the pipeline's; null: none
   */
  public SnapshotService(
      Projects projects,
      EnvironmentStore environments,
      ImageResolver images,
      ProjectCopier copier,
      SnapshotStore snapshots,
      SnapshotUsers users,
      EventPublisher publisher,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry meters,
      io.gridrun.snapshot.project.ProjectEnv projectEnv) {
    this.projectEnv = projectEnv;
    this.meters = meters;
    this.projects = projects;
    this.environments = environments;
    this.images = images;
    this.copier = copier;
    this.snapshots = snapshots;
    this.users = users;
    this.publisher = publisher;
    this.clock = clock;
  }

  /**
   * The job no longer uses its snapshot; a snapshot no job uses any more is deleted (its blobs go
   * with the next garbage collection, after the grace period).
   */
  public void onJobDeleted(JobDeleted job) {
    users.release(job.jobId());
    String snapshotId = job.snapshotId() != null ? job.snapshotId() : idFor(job.jobId());
    if (users.users(snapshotId) == 0) {
      snapshots.delete(snapshotId);
      log.info("Deleted snapshot {}: the last job using it was deleted", snapshotId);
    }
  }

  public static String idFor(String jobId) {
    return "s-" + jobId;
  }

  public void onJobCreated(JobCreated job) {
    String reused = job.options().snapshotId();
    String snapshotId = reused != null ? reused : idFor(job.jobId());
    // the use is recorded before the snapshot is looked at, so a snapshot seen here is never
    // deleted as unused in the meantime
    users.use(job.jobId(), snapshotId);
    Optional<SnapshotRecord> existing = snapshots.findNow(snapshotId);
    if (existing.isPresent()) {
      publishCreated(job.jobId(), existing.get());
      return;
    }
    if (reused != null) {
      publishFailed(job.jobId(), "snapshot '" + reused + "' does not exist");
      return;
    }
    try {
      SnapshotRecord snapshot = take(job);
      snapshots.insert(snapshot);
      measure(snapshot);
      publishCreated(job.jobId(), snapshots.findNow(snapshot.id()).orElse(snapshot));
    } catch (SnapshotFailure e) {
      publishFailed(job.jobId(), e.getMessage());
    } catch (IOException e) {
      log.warn("Snapshot of job {} failed", job.jobId(), e);
      publishFailed(job.jobId(), "the project could not be copied: " + e.getMessage());
    } catch (RuntimeException e) {
      if (FailureKind.of(e) == FailureKind.INFRASTRUCTURE) {
        // the database or broker is unreachable: the consumer waits the outage out and this event
        // is handled again (the snapshot is taken again; its blobs are content-addressed)
        throw e;
      }
      // a blob store or database error, say: the job ends FAILURE with the reason rather than
      // waiting in PENDING for a snapshot that never comes
      log.warn("Snapshot of job {} failed", job.jobId(), e);
      publishFailed(job.jobId(), "the snapshot failed: " + describe(e));
    }
  }

  SnapshotRecord take(JobCreated job) throws SnapshotFailure, IOException {
    Instant start = clock.instant();
    PipelineDefinition pipeline;
    java.nio.file.Path directory;
    try {
      directory = projects.directory(job.project());
      pipeline = projects.pipeline(job.project(), job.pipeline());
      if (projectEnv != null) {
        pipeline = projectEnv.under(job.project(), pipeline);
      }
    } catch (Projects.ProjectException e) {
      throw new SnapshotFailure(e.getMessage());
    }
    List<String> problems = pipeline.problems();
    if (!problems.isEmpty()) {
      throw new SnapshotFailure(
          "pipeline '" + job.pipeline() + "': " + String.join("; ", problems));
    }
    Map<String, PinnedEnvironment> pinned = pin(pipeline);
    SnapshotContent content = copier.copy(directory);
    long duration = Duration.between(start, clock.instant()).toMillis();
    return new SnapshotRecord(
        idFor(job.jobId()),
        job.jobId(),
        job.project(),
        job.pipeline(),
        pipeline,
        pinned,
        content.manifest(),
        content.fileCount(),
        content.totalBytes(),
        content.newBytes(),
        duration,
        content.skipped(),
        clock.instant(),
        content.warnings());
  }

  private Map<String, PinnedEnvironment> pin(PipelineDefinition pipeline) throws SnapshotFailure {
    Map<String, PinnedEnvironment> pinned = new LinkedHashMap<>();
    for (String name : pipeline.environmentNames()) {
      Environment environment =
          environments
              .findNow(name)
              .orElseThrow(
                  () -> new SnapshotFailure("environment '" + name + "' is not registered"));
      if (environment.built()) {
        pinned.put(name, pinBuilt(environment));
        continue;
      }
      ImageResolver.Resolution image;
      try {
        image = images.resolve(environment.image());
      } catch (ImageResolver.Unavailable e) {
        // fail the job with the reason rather than leave it waiting on a dead-lettered event
        throw new SnapshotFailure(
            "environment '"
                + name
                + "' could not be pinned: "
                + e.getMessage()
                + " (without a container engine set gridrun.snapshot.image-resolution=none)",
            e);
      }
      if (!image.exists()) {
        throw new SnapshotFailure(
            "image '" + environment.image() + "' of environment '" + name + "' does not exist");
      }
      pinned.put(
          name,
          new PinnedEnvironment(
              name,
              environment.image(),
              image.imageId(),
              environment.env(),
              environment.network()));
    }
    return pinned;
  }

  /**
   * A built environment runs in the image of its newest {@code READY} version, by id: a rebuild
   * later makes a new version and changes nothing for this snapshot.
   */
  private static PinnedEnvironment pinBuilt(Environment environment) throws SnapshotFailure {
    String name = environment.name();
    io.gridrun.snapshot.environment.EnvironmentVersion ready =
        environment
            .newestReady()
            .orElseThrow(
                () ->
                    new SnapshotFailure(
                        "environment '"
                            + name
                            + "' has no READY version"
                            + newestState(environment)));
    return new PinnedEnvironment(
        name, ready.image(), ready.imageId(), environment.env(), environment.network());
  }

  /** ", its newest (version 2) is FAILED: setup script failed: exit code 1", or "". */
  public static String newestState(Environment environment) {
    return environment
        .newest()
        .map(
            v ->
                " (version "
                    + v.version()
                    + " is "
                    + v.status()
                    + (v.reason() != null ? ": " + v.reason() : "")
                    + ")")
        .orElse("");
  }

  private void measure(SnapshotRecord snapshot) {
    io.micrometer.core.instrument.Timer.builder("gridrun.snapshot.duration")
        .register(meters)
        .record(Duration.ofMillis(snapshot.durationMs()));
    meters.counter("gridrun.snapshot.bytes", "kind", "total").increment(snapshot.totalBytes());
    meters.counter("gridrun.snapshot.bytes", "kind", "new").increment(snapshot.newBytes());
  }

  private void publishCreated(String jobId, SnapshotRecord snapshot) {
    publisher.publishAndWait(
        new SnapshotCreated(
            UUID.randomUUID().toString(),
            jobId,
            clock.instant(),
            snapshot.id(),
            snapshot.manifest(),
            snapshot.definition(),
            snapshot.environments(),
            snapshot.warnings()));
  }

  private static String describe(RuntimeException e) {
    Throwable cause =
        e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private void publishFailed(String jobId, String reason) {
    publisher.publishAndWait(
        new SnapshotFailed(UUID.randomUUID().toString(), jobId, clock.instant(), reason));
  }
}

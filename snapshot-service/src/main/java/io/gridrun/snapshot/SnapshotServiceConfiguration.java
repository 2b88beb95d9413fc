package io.gridrun.snapshot;

import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.snapshot.config.DockerProperties;
import io.gridrun.snapshot.config.SnapshotProperties;
import io.gridrun.snapshot.config.StorageProperties;
import io.gridrun.snapshot.environment.EnvironmentStore;
import io.gridrun.snapshot.image.DockerImageResolver;
import io.gridrun.snapshot.image.ImageResolver;
import io.gridrun.snapshot.project.Projects;
import io.gridrun.snapshot.snapshot.ProjectCopier;
import io.gridrun.snapshot.snapshot.SnapshotService;
import io.gridrun.snapshot.snapshot.SnapshotStore;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.FileSystemBlobStore;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@org.springframework.scheduling.annotation.EnableScheduling
class SnapshotServiceConfiguration {

  /** Time for everything the service stamps; a test may bring its own. */
  @Bean
  @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** The bucket with {@code gridrun.storage.kind=s3}, else the shared directory. */
  @Bean
  BlobStore blobStore(
      StorageProperties storage,
      org.springframework.beans.factory.ObjectProvider<io.gridrun.platform.storage.ObjectStorage>
          objectStorage) {
    io.gridrun.platform.storage.ObjectStorage bucket = objectStorage.getIfAvailable();
    return bucket != null ? bucket.blobs() : new FileSystemBlobStore(storage.blobs());
  }

  @Bean
  Projects projects(SnapshotProperties properties) {
    return new Projects(properties.projectsRoot());
  }

  @Bean
  io.gridrun.snapshot.project.ProjectUpload projectUpload(SnapshotProperties properties) {
    return new io.gridrun.snapshot.project.ProjectUpload(
        properties.projectsRoot(), properties.uploadLimits());
  }

  @Bean
  ImageResolver imageResolver(SnapshotProperties properties, DockerProperties docker) {
    return properties.imageResolution() == SnapshotProperties.ImageResolution.NONE
        ? ImageResolver.NONE
        : new DockerImageResolver(docker.host());
  }

  @Bean
  io.gridrun.snapshot.environment.ImageBuilder imageBuilder(
      SnapshotProperties properties,
      DockerProperties docker,
      io.gridrun.snapshot.environment.EnvironmentsProperties environments) {
    if (properties.imageResolution() == SnapshotProperties.ImageResolution.NONE) {
      return (base, setup, tag, log) -> {
        throw new io.gridrun.snapshot.environment.ImageBuilder.BuildFailure(
            "no container engine: gridrun.snapshot.image-resolution is none, so environments"
                + " cannot be built here");
      };
    }
    return new io.gridrun.snapshot.environment.DockerImageBuilder(
        docker.host(),
        environments.buildNetwork(),
        environments.buildTimeout(),
        environments.buildCache());
  }

  @Bean
  io.gridrun.snapshot.environment.BuildLogs buildLogs(
      io.gridrun.snapshot.environment.EnvironmentsProperties environments,
      StorageProperties storage) {
    return new io.gridrun.snapshot.environment.BuildLogs(
        environments.buildLogs() != null
            ? environments.buildLogs()
            : storage.blobs().toAbsolutePath().resolveSibling("environment-builds"));
  }

  @Bean(destroyMethod = "shutdownNow")
  java.util.concurrent.ExecutorService environmentBuildExecutor(
      io.gridrun.snapshot.environment.EnvironmentsProperties environments) {
    return java.util.concurrent.Executors.newFixedThreadPool(
        environments.parallelBuilds(),
        runnable -> {
          Thread thread = new Thread(runnable, "environment-build");
          thread.setDaemon(true);
          return thread;
        });
  }

  @Bean
  io.gridrun.snapshot.environment.EnvironmentBuilds environmentBuilds(
      EnvironmentStore store,
      io.gridrun.snapshot.environment.ImageBuilder builder,
      io.gridrun.snapshot.environment.BuildLogs logs,
      java.util.concurrent.ExecutorService environmentBuildExecutor,
      Clock clock) {
    io.gridrun.snapshot.environment.EnvironmentBuilds builds =
        new io.gridrun.snapshot.environment.EnvironmentBuilds(
            store,
            builder,
            logs,
            environmentBuildExecutor,
            clock,
            java.util.UUID.randomUUID().toString());
    return builds;
  }

  @Bean
  io.gridrun.snapshot.environment.OrchestEnvironments orchestEnvironments(
      EnvironmentStore store,
      io.gridrun.snapshot.environment.EnvironmentBuilds builds,
      io.gridrun.snapshot.environment.OrchestProperties orchest) {
    return new io.gridrun.snapshot.environment.OrchestEnvironments(store, builds, orchest);
  }

  /** Renews this instance's build leases and fails builds whose instance is gone. */
  @Bean(destroyMethod = "shutdownNow")
  java.util.concurrent.ScheduledExecutorService buildLeaseSchedule(
      EnvironmentStore store,
      io.gridrun.snapshot.environment.EnvironmentBuilds builds,
      io.gridrun.snapshot.environment.EnvironmentsProperties environments) {
    io.gridrun.snapshot.environment.BuildLease lease =
        new io.gridrun.snapshot.environment.BuildLease(
            store, builds, environments.buildLease(), Clock.systemUTC());
    lease.failExpired();
    java.util.concurrent.ScheduledExecutorService schedule =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "environment-build-lease");
              thread.setDaemon(true);
              return thread;
            });
    long renew = Math.max(1, environments.buildLease().toMillis() / 3);
    long sweep = Math.max(1, environments.buildLease().toMillis() / 2);
    schedule.scheduleWithFixedDelay(
        quietly(lease::renew), renew, renew, java.util.concurrent.TimeUnit.MILLISECONDS);
    schedule.scheduleWithFixedDelay(
        quietly(lease::failExpired), sweep, sweep, java.util.concurrent.TimeUnit.MILLISECONDS);
    return schedule;
  }

  private static Runnable quietly(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(SnapshotServiceConfiguration.class)
            .warn("Environment build lease task failed", e);
      }
    };
  }

  @Bean
  io.gridrun.snapshot.environment.BuildLogFollower buildLogFollower(
      io.gridrun.snapshot.environment.BuildLogs logs,
      io.gridrun.snapshot.environment.EnvironmentBuilds builds) {
    return new io.gridrun.snapshot.environment.BuildLogFollower(
        logs, builds, java.time.Duration.ofMillis(250));
  }

  /** The hashes of unchanged files kept between snapshots; none with stat-cache=false. */
  @Bean
  io.gridrun.snapshot.snapshot.StatCache statCache(
      SnapshotProperties properties, StorageProperties storage) {
    return new io.gridrun.snapshot.snapshot.StatCache(
        properties.statCacheDir() != null
            ? properties.statCacheDir()
            : storage.blobs().toAbsolutePath().resolveSibling("stat-cache"),
        properties.statCache(),
        // a reused blob is marked at most once per half grace period (a write per file spared)
        properties.gcGrace().dividedBy(2));
  }

  @Bean
  SnapshotService snapshotService(
      Projects projects,
      EnvironmentStore environments,
      ImageResolver images,
      BlobStore blobs,
      SnapshotProperties properties,
      SnapshotStore snapshots,
      io.gridrun.snapshot.snapshot.SnapshotUsers users,
      EventPublisher publisher,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry meters,
      io.gridrun.snapshot.project.ProjectEnv projectEnv,
      io.gridrun.snapshot.snapshot.StatCache statCache) {
    return new SnapshotService(
        projects,
        environments,
        images,
        new ProjectCopier(
            blobs,
            new ProjectCopier.Limits(properties.maxFiles(), properties.maxTotalBytes()),
            statCache),
        snapshots,
        users,
        publisher,
        clock,
        meters,
        projectEnv);
  }

  @Bean
  io.gridrun.snapshot.project.ProjectEnv projectEnv(
      org.springframework.data.mongodb.core.ReactiveMongoTemplate mongo) {
    return new io.gridrun.snapshot.project.ProjectEnv(mongo);
  }
}

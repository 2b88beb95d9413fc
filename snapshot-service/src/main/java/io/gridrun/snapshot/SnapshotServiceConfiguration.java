package io.gridrun.snapshot;

import io.gridrun.platform.messaging.EventPublisher;
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

  @Bean
  BlobStore blobStore(StorageProperties storage) {
    return new FileSystemBlobStore(storage.blobs());
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
  SnapshotService snapshotService(
      Projects projects,
      EnvironmentStore environments,
      ImageResolver images,
      BlobStore blobs,
      SnapshotProperties properties,
      SnapshotStore snapshots,
      io.gridrun.snapshot.snapshot.SnapshotUsers users,
      EventPublisher publisher,
      io.micrometer.core.instrument.MeterRegistry meters) {
    return new SnapshotService(
        projects,
        environments,
        images,
        new ProjectCopier(
            blobs, new ProjectCopier.Limits(properties.maxFiles(), properties.maxTotalBytes())),
        snapshots,
        users,
        publisher,
        Clock.systemUTC(),
        meters);
  }
}

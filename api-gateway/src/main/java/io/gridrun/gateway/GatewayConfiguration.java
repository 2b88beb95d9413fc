package io.gridrun.gateway;

import io.gridrun.gateway.config.StorageProperties;
import io.gridrun.gateway.logs.ArchivedStepLogStore;
import io.gridrun.gateway.logs.LiveLogTopic;
import io.gridrun.platform.storage.ObjectStorage;
import io.gridrun.storage.artifact.ArtifactStore;
import io.gridrun.storage.logs.StepLogStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

  private static final int MAX_PROXIED_BODY_BYTES = 64 * 1024 * 1024;

  @Bean
  WebClient serviceClient() {
    return WebClient.builder()
        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_PROXIED_BODY_BYTES))
        .build();
  }

  /**
   * The shared log directory, or with {@code gridrun.storage.kind=s3} the object store and the log
   * topic, through a directory of the gateway's own.
   */
  @Bean
  StepLogStore stepLogStore(
      StorageProperties storage,
      ObjectProvider<ObjectStorage> bucket,
      ConsumerFactory<String, String> kafka)
      throws java.io.IOException {
    ObjectStorage objects = bucket.getIfAvailable();
    if (objects == null) {
      if (storage.logs() == null) {
        throw new IllegalStateException(
            "gridrun.storage.logs must name the log directory the runners write to (or set"
                + " gridrun.storage.kind=s3)");
      }
      return new StepLogStore(storage.logs());
    }
    java.nio.file.Path cache =
        storage.logs() != null
            ? storage.logs()
            : java.nio.file.Files.createTempDirectory("gridrun-gateway-logs");
    return new ArchivedStepLogStore(cache, objects.logs(), new LiveLogTopic(kafka));
  }

  /** Steps' artifacts: in the shared directory, or in the object store. */
  @Bean
  ArtifactStore artifactStore(StorageProperties storage, ObjectProvider<ObjectStorage> bucket) {
    ObjectStorage objects = bucket.getIfAvailable();
    return objects != null ? objects.artifacts() : new ArtifactStore(storage.artifactsDir());
  }
}

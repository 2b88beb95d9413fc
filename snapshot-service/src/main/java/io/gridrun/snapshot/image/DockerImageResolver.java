package io.gridrun.snapshot.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/** Asks the Docker engine which image a reference points to. */
public class DockerImageResolver implements ImageResolver {

  private final DockerClient docker;

  public DockerImageResolver(String host) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    this.docker =
        DockerClientImpl.getInstance(
            config,
            new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofSeconds(60))
                .build());
  }

  @Override
  public Resolution resolve(String reference) {
    try {
      return new Resolution(true, docker.inspectImageCmd(reference).exec().getId());
    } catch (NotFoundException e) {
      return new Resolution(false, null);
    }
  }
}

package io.gridrun.snapshot.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/** docker-java clients of the snapshot service: one way to reach the engine, two timeouts. */
public final class DockerClients {

  private static final Duration CONNECT = Duration.ofSeconds(10);

  private DockerClients() {}

  /**
   * A client of the engine at {@code host} (e.g. {@code unix:///var/run/docker.sock}) whose calls
   * wait at most {@code response} for an answer (an image build answers only when it ends).
   */
  public static DockerClient connect(String host, Duration response) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    return DockerClientImpl.getInstance(
        config,
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(CONNECT)
            .responseTimeout(response)
            .build());
  }
}

package io.gridrun.snapshot.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;

/** Asks the Docker engine which image a reference points to. */
public class DockerImageResolver implements ImageResolver {

  private final DockerClient docker;
  private final String host;

  public DockerImageResolver(String host) {
    this.host = host;
    this.docker = DockerClients.connect(host, Duration.ofSeconds(60));
  }

  @Override
  public Resolution resolve(String reference) {
    try {
      return new Resolution(true, docker.inspectImageCmd(reference).exec().getId());
    } catch (NotFoundException | BadRequestException e) {
      // 400: a reference no image can have (e.g. upper-case letters), so no such image either
      return new Resolution(false, null);
    } catch (RuntimeException e) {
      // docker-java wraps connection failures in unchecked exceptions
      throw new Unavailable(
          "the Docker engine at "
              + host
              + " could not be asked about image '"
              + reference
              + "': "
              + rootMessage(e),
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}

package io.gridrun.snapshot.environment;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.gridrun.snapshot.image.DockerClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds with the Docker engine: a context of a Dockerfile ({@code FROM base}, the setup script
 * copied in and run by {@code sh -e} in one {@code RUN}) and the script. The build gets the network
 * mode {@code networkMode} (steps run later get none unless they ask); base images are never
 * pulled.
 */
public class DockerImageBuilder implements ImageBuilder {

  private static final Pattern EXIT = Pattern.compile("returned a non-zero code: (\\d+)");
  private static final Pattern LAYER = Pattern.compile("^\\s*---> ([0-9a-f]{12,64})\\s*$");

  private final DockerClient docker;
  private final String networkMode;
  private final Duration timeout;
  private final boolean cache;

  public DockerImageBuilder(String host, String networkMode, Duration timeout) {
    this(host, networkMode, timeout, false);
  }

  /**
   * @param cache whether Docker's layer cache may stand in for running the setup script again (same
   *     base image and byte-identical script); off, every build runs the script
   */
  public DockerImageBuilder(String host, String networkMode, Duration timeout, boolean cache) {
    this.docker = DockerClients.connect(host, timeout.plusMinutes(1));
    this.networkMode = networkMode;
    this.timeout = timeout;
    this.cache = cache;
  }

  static String dockerfile(String base) {
    return "FROM "
        + base
        + "\nCOPY gridrun-setup.sh /gridrun-setup.sh\n"
        + "RUN DEBIAN_FRONTEND=noninteractive sh -e /gridrun-setup.sh && rm -f /gridrun-setup.sh\n";
  }

  @Override
  public String build(String base, String setup, String tag, OutputStream log) throws BuildFailure {
    byte[] context;
    try {
      context = context(base, setup);
    } catch (IOException e) {
      throw new BuildFailure("the build context could not be written: " + e.getMessage());
    }
    java.util.List<String> layers = new java.util.concurrent.CopyOnWriteArrayList<>();
    BuildImageResultCallback callback =
        new BuildImageResultCallback() {
          @Override
          public void onNext(BuildResponseItem item) {
            String text = item.getStream() != null ? item.getStream() : item.getStatus();
            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
              text = item.getErrorDetail().getMessage() + "\n";
            }
            if (item.getStream() != null) {
              Matcher layer = LAYER.matcher(item.getStream());
              if (layer.find()) {
                layers.add(layer.group(1));
              }
            }
            if (text != null) {
              try {
                log.write(text.getBytes(StandardCharsets.UTF_8));
                log.flush();
              } catch (IOException ignored) {
                // the log is best effort; the build goes on
              }
            }
            super.onNext(item);
          }
        };
    try {
      docker
          .buildImageCmd(new ByteArrayInputStream(context))
          .withTags(Set.of(tag))
          .withNetworkMode(networkMode)
          .withPull(false)
          // by default a build runs its setup script for real: a rebuild must fetch what changed
          // upstream since, and its log must show what the script printed (not "Using cache")
          .withNoCache(!cache)
          .withRemove(true)
          .withForcerm(true)
          .exec(callback);
      callback.awaitImageId(timeout.toSeconds(), TimeUnit.SECONDS);
      // the stream names a short id; the tag gives the full one
      return docker.inspectImageCmd(tag).exec().getId();
    } catch (RuntimeException e) {
      new DanglingLayers(docker).remove(base, layers);
      throw new BuildFailure(reason(base, e));
    }
  }

  /** A sentence for the user from what the engine said. */
  static String reason(String base, Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher exit = EXIT.matcher(message);
    if (exit.find()) {
      return "setup script failed: exit code " + exit.group(1);
    }
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("pull access denied")
        || lower.contains("no such image")
        || lower.contains("not found")
        || lower.contains("repository does not exist")) {
      return "base image '" + base + "' not found";
    }
    if (lower.contains("awaiting image id") || lower.contains("timeout")) {
      return "the build did not finish in time";
    }
    return "the build failed: " + message.replace("Could not build image: ", "").strip();
  }

  private static byte[] context(String base, String setup) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      add(tar, "Dockerfile", dockerfile(base));
      add(tar, "gridrun-setup.sh", setup);
    }
    return bytes.toByteArray();
  }

  private static void add(TarArchiveOutputStream tar, String name, String text) throws IOException {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    entry.setMode(0644);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}

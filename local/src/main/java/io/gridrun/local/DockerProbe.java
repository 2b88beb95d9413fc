package io.gridrun.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Asks the local Docker engine, over its Unix socket, whether it answers and has an image. */
public final class DockerProbe {

  public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

  private final Path socket;

  public DockerProbe(Path socket) {
    this.socket = socket;
  }

  /** True when the engine answers {@code GET /_ping}. */
  public boolean engineAnswers() {
    return get("/_ping").startsWith("HTTP/1.0 200") || get("/_ping").startsWith("HTTP/1.1 200");
  }

  public boolean imageExists(String image) {
    String status = get("/images/" + image + "/json");
    return status.startsWith("HTTP/1.0 200") || status.startsWith("HTTP/1.1 200");
  }

  private String get(String path) {
    if (!Files.exists(socket)) {
      return "";
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(
          ByteBuffer.wrap(
              ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(4096);
      while (channel.read(buffer) > 0 && response.size() < 64 * 1024) {
        response.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return response.toString(StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}

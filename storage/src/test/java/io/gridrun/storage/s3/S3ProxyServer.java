package io.gridrun.storage.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API for tests: S3Proxy (from Maven Central, its jar with dependencies copied to {@code
 * target/s3proxy/s3proxy.jar} by the build) with its file-system backend, in a process of its own
 * on a free loopback port, requiring AWS signatures with a fixed identity. Tests hand the identity
 * to the SDK's default credentials chain through the {@code aws.accessKeyId}/{@code
 * aws.secretAccessKey} system properties ({@link #credentialProperties}).
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String IDENTITY = "gridrun-test";
  public static final String CREDENTIAL = "gridrun-test-secret";

  private final Process process;
  private final int port;
  private final Path log;

  private S3ProxyServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts S3Proxy storing its buckets under {@code dir}, and waits until it answers. */
  public static S3ProxyServer start(Path dir) throws IOException {
    Path jar = jar();
    int port = freePort();
    Files.createDirectories(dir.resolve("buckets"));
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + IDENTITY,
            "s3proxy.credential=" + CREDENTIAL,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + dir.resolve("buckets").toAbsolutePath(),
            ""));
    Path log = dir.resolve("s3proxy.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(List.of("-jar", jar.toString(), "--properties", properties.toString()));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3ProxyServer server = new S3ProxyServer(process, port, log);
    server.awaitListening(Duration.ofSeconds(90));
    return server;
  }

  private static Path jar() {
    String configured = System.getProperty("gridrun.s3proxy.jar");
    Path jar = configured != null ? Path.of(configured) : Path.of("target/s3proxy/s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Proxy is not at "
              + jar.toAbsolutePath()
              + ": the module's build copies it there (maven-dependency-plugin, execution"
              + " s3proxy); run the tests with Maven");
    }
    return jar;
  }

  private void awaitListening(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for S3Proxy", e);
        }
      }
    }
    throw new IllegalStateException("S3Proxy did not listen within " + timeout);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The settings of a bucket on this server (path-style, as S3Proxy needs), after creating it. */
  public S3Settings bucket(String bucket, String prefix) {
    S3Settings settings = new S3Settings(bucket, prefix, endpoint(), "us-east-1", true);
    credentialProperties().forEach(System::setProperty);
    try (S3Client s3 = S3Clients.create(settings)) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
    return settings;
  }

  /** The system properties through which the SDK's default chain finds this server's identity. */
  public static java.util.Map<String, String> credentialProperties() {
    return java.util.Map.of("aws.accessKeyId", IDENTITY, "aws.secretAccessKey", CREDENTIAL);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

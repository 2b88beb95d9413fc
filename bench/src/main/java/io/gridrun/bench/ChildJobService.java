package io.gridrun.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * job-service in a JVM of its own with a fixed maximum heap, so that its memory is measured apart
 * from the rest of the stack: heap use is sampled from its Prometheus endpoint.
 */
final class ChildJobService implements AutoCloseable {

  private static final Pattern HEAP =
      Pattern.compile(
          "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.E+]+)", Pattern.MULTILINE);

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicLong peakHeap = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

  private ChildJobService(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ChildJobService start(String kafka, String mongoUri, String maxHeap, Path log)
      throws IOException, InterruptedException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("-cp");
    command.add(classPath());
    command.add("io.gridrun.job.JobServiceApplication");
    command.add("--server.port=" + port);
    command.add("--spring.kafka.bootstrap-servers=" + kafka);
    command.add("--spring.mongodb.uri=" + mongoUri);
    command.add("--spring.main.banner-mode=off");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // never outlive the benchmark, whatever happens to it
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    ChildJobService child = new ChildJobService(process, port);
    try {
      child.awaitHealthy(Duration.ofMinutes(4));
    } catch (IOException | InterruptedException | RuntimeException e) {
      child.close();
      throw e;
    }
    child.sampler.scheduleAtFixedRate(child::sample, 0, 200, TimeUnit.MILLISECONDS);
    return child;
  }

  /**
   * The class path gridrun runs with: the JVM's, or, under {@code mvn exec:java}, that of the class
   * loader the plugin built.
   */
  private static String classPath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader instanceof java.net.URLClassLoader urls && urls.getURLs().length > 0) {
      StringBuilder path = new StringBuilder();
      for (java.net.URL url : urls.getURLs()) {
        try {
          path.append(path.length() == 0 ? "" : java.io.File.pathSeparator)
              .append(Path.of(url.toURI()));
        } catch (java.net.URISyntaxException e) {
          throw new IllegalStateException("unusable class path entry " + url, e);
        }
      }
      return path.toString();
    }
    return System.getProperty("java.class.path");
  }

  String url() {
    return "http://localhost:" + port;
  }

  /** The highest heap use sampled so far, in MiB. */
  double peakHeapMiB() {
    sample();
    return peakHeap.get() / (1024.0 * 1024.0);
  }

  private void awaitHealthy(Duration timeout) throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("job-service exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IOException("job-service did not become healthy within " + timeout);
  }

  private void sample() {
    try {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(url() + "/actuator/prometheus")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = HEAP.matcher(metrics);
      long used = 0;
      while (m.find()) {
        used += (long) Double.parseDouble(m.group(1));
      }
      peakHeap.accumulateAndGet(used, Math::max);
    } catch (IOException | RuntimeException e) {
      // a missed sample only makes the peak less precise
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    sampler.shutdownNow();
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

package io.gridrun.bench;

import io.gridrun.local.ChildService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  private final ChildService child;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicLong peakHeap = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

  private ChildJobService(ChildService child) {
    this.child = child;
  }

  /**
   * Launches the JVM and returns at once: its address is known, so the stack's other services can
   * start while it does; {@link #awaitHealthy()} waits for it.
   */
  static ChildJobService launch(String kafka, String mongoUri, String maxHeap, Path log)
      throws IOException {
    return new ChildJobService(
        ChildService.launch(
            new ChildService.Spec(
                "job-service",
                "io.gridrun.job.JobServiceApplication",
                List.of("-Xmx" + maxHeap),
                Map.of("spring.kafka.bootstrap-servers", kafka, "spring.mongodb.uri", mongoUri),
                log)));
  }

  /** Waits until it answers healthy, then samples its heap every 200 ms. */
  ChildJobService awaitHealthy() throws IOException, InterruptedException {
    child.awaitHealthy(Duration.ofMinutes(4));
    sampler.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    return this;
  }

  String url() {
    return child.url();
  }

  /** The highest heap use sampled so far, in MiB. */
  double peakHeapMiB() {
    sample();
    return peakHeap.get() / (1024.0 * 1024.0);
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
    child.close();
  }
}

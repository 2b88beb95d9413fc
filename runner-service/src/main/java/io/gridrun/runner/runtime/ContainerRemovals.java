package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes step containers off the step's path: a removal is a round trip of its own that {@code
 * docker run --rm} pays before it returns, and the step's end need not wait for it. Nothing is left
 * forever: a removal the engine refused is tried again at every {@link #retryFailed} (the runner's
 * housekeeping), and {@link #close} waits for the removals under way (the runner stopping).
 */
final class ContainerRemovals implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ContainerRemovals.class);

  private final DockerClient docker;
  private final ExecutorService workers;
  private final Set<CompletableFuture<Void>> underWay = ConcurrentHashMap.newKeySet();
  private final Set<String> failed = ConcurrentHashMap.newKeySet();

  ContainerRemovals(DockerClient docker, int threads) {
    this.docker = docker;
    AtomicInteger count = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread thread = new Thread(r, "container-removal-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Removes the container in the background, then runs {@code after} (what the container held);
   * here and now once the removals are closed.
   */
  void removeLater(String id, Runnable after) {
    Runnable removal =
        () -> {
          try {
            removeNow(id);
          } finally {
            after.run();
          }
        };
    CompletableFuture<Void> done;
    try {
      done = CompletableFuture.runAsync(removal, workers);
    } catch (RejectedExecutionException closed) {
      removal.run();
      return;
    }
    underWay.add(done);
    done.whenComplete((ignored, error) -> underWay.remove(done));
  }

  /** Removes the container now; false when the engine refused (it is tried again later). */
  boolean removeNow(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException gone) {
      // removed already
    } catch (RuntimeException e) {
      log.warn("Could not remove container {} (tried again later): {}", id, e.getMessage());
      failed.add(id);
      return false;
    }
    failed.remove(id);
    return true;
  }

  /** Tries the removals the engine refused once more; how many succeeded. */
  int retryFailed() {
    int removed = 0;
    for (String id : List.copyOf(failed)) {
      if (removeNow(id)) {
        removed++;
      }
    }
    return removed;
  }

  /** Containers whose removal is under way or failed, for tests and the runner's stop. */
  int pending() {
    return underWay.size() + failed.size();
  }

  /** Waits up to {@code timeout} for the removals under way; whether all ended. */
  boolean awaitUnderWay(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (CompletableFuture<Void> removal : List.copyOf(underWay)) {
      try {
        removal.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        // logged by the removal; its id is in failed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Finishes the removals under way and retries the failed ones, then takes no more work. */
  @Override
  public void close() {
    workers.shutdown();
    if (!awaitUnderWay(Duration.ofSeconds(30))) {
      log.warn("Container removals still under way when the runtime closed");
    }
    retryFailed();
  }
}

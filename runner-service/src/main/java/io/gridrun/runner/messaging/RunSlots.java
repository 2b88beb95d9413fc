package io.gridrun.runner.messaging;

import io.gridrun.common.event.RunRequested;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs a runner executes at once: at most as many as it has slots, since each needs a slot (see
 * {@link io.gridrun.runner.execution.StepSlots}) to make progress. The listener hands a run over
 * only while there is room and pauses the consumer when there is none, so a backlog stays on Kafka,
 * not in memory.
 */
public class RunSlots {

  /** How a slot executes a run it is handed. */
  @FunctionalInterface
  public interface Execution {

    /**
     * Executes the run to its end on the calling (slot) thread, calling {@code taken} as soon as
     * the run is this runner's for good (its {@code run.started} is on the broker), or the run is
     * not to be executed here. A slot calls it at the end when the execution did not.
     */
    void execute(RunRequested run, Runnable taken);
  }

  private static final Logger log = LoggerFactory.getLogger(RunSlots.class);

  private final Semaphore free;
  private final int total;
  private final ExecutorService workers;
  private final Execution executor;
  private final AtomicInteger busy = new AtomicInteger();
  private volatile Runnable onSlotFreed = () -> {};

  private final AtomicInteger threads = new AtomicInteger();

  /**
   * @param executor executes one run to its end on the calling (slot) thread
   */
  public RunSlots(int slots, Execution executor) {
    this.total = slots;
    this.free = new Semaphore(slots);
    this.workers =
        Executors.newFixedThreadPool(
            slots, r -> new Thread(r, "run-slot-" + threads.incrementAndGet()));
    this.executor = executor;
  }

  public void onSlotFreed(Runnable callback) {
    this.onSlotFreed = callback;
  }

  /**
   * Takes a slot and executes the run in it. Waits only if no slot is free, which the listener
   * avoids by pausing its consumer when the last slot is taken.
   *
   * @return completes once the run is taken for good or will not be executed here (see {@link
   *     Execution}): the listener commits the request only then, so a runner killed in between
   *     leaves it to be delivered again instead of lost
   */
  public CompletableFuture<Void> submit(RunRequested run) throws InterruptedException {
    CompletableFuture<Void> taken = new CompletableFuture<>();
    inASlot(run, () -> executor.execute(run, () -> taken.complete(null)), taken);
    return taken;
  }

  /**
   * Takes a slot and runs {@code execution} for the run in it (a run continued after a restart).
   */
  public void submit(RunRequested run, Consumer<RunRequested> execution)
      throws InterruptedException {
    inASlot(run, () -> execution.accept(run), new CompletableFuture<>());
  }

  private void inASlot(RunRequested run, Runnable execution, CompletableFuture<Void> taken)
      throws InterruptedException {
    free.acquire();
    busy.incrementAndGet();
    workers.submit(
        () -> {
          try {
            execution.run();
          } catch (RuntimeException e) {
            log.error("Run {} ended with an error in the runner", run.runId(), e);
          } finally {
            taken.complete(null);
            busy.decrementAndGet();
            free.release();
            onSlotFreed.run();
          }
        });
  }

  public boolean full() {
    return free.availablePermits() == 0;
  }

  public int busy() {
    return busy.get();
  }

  public int total() {
    return total;
  }

  /**
   * Lets running runs finish for up to {@code drain}; then calls {@code drainTimedOut}, which gives
   * the rest up (their steps are killed), and waits a little for their threads to end.
   */
  public void shutdown(Duration drain, Runnable drainTimedOut) throws InterruptedException {
    workers.shutdown();
    if (workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
      return;
    }
    log.warn("{} runs still running after the drain timeout {}; giving them up", busy(), drain);
    drainTimedOut.run();
    if (!workers.awaitTermination(15, TimeUnit.SECONDS)) {
      workers.shutdownNow();
    }
  }
}

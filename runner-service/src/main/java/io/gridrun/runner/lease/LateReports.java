package io.gridrun.runner.lease;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.StepFinished;
import io.gridrun.runner.execution.RecentKeys;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the outcome of attempts given up while cut off from the broker whose every step had
 * ended: their step ends (from the run's records, in the order the steps ended) are sent once the
 * broker takes them, again and again until it acknowledges all of them. job-service takes such an
 * outcome while it has not started the run's next attempt, and ignores it after (see {@code
 * LateOutcome} there); an end it hears twice changes nothing the second time. Sends happen on a
 * thread of their own: the lease guard never waits on the broker.
 */
public class LateReports {

  private static final Logger log = LoggerFactory.getLogger(LateReports.class);

  private final Function<GridrunEvent, CompletableFuture<Void>> publisher;
  private final Map<String, List<StepFinished>> due = new ConcurrentHashMap<>();
  private final Set<String> sending = ConcurrentHashMap.newKeySet();
  private final RecentKeys reported = new RecentKeys(10_000);
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "runner-late-reports");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param publisher sends an event; the future completes when the broker acknowledged it
   */
  public LateReports(Function<GridrunEvent, CompletableFuture<Void>> publisher) {
    this.publisher = publisher;
  }

  /** Reports the attempt's step ends (all of them, in order) until they are acknowledged. */
  public void report(String runId, int attempt, List<StepFinished> ends) {
    String key = runId + "#" + attempt;
    due.put(key, List.copyOf(ends));
    sender.execute(() -> send(key));
  }

  /** Sends again the reports whose last sending failed; called on every turn of the guard. */
  public void retry() {
    for (String key : due.keySet()) {
      if (!sending.contains(key)) {
        sender.execute(() -> send(key));
      }
    }
  }

  /**
   * The whole outcome of this attempt was published here and acknowledged another way: by the
   * runner that adopted the attempt from its killed predecessor and followed it to its end.
   */
  public void acknowledged(String runId, int attempt) {
    reported.add(runId + "#" + attempt);
  }

  /** Whether the outcome of this attempt was reported here and acknowledged by the broker. */
  public boolean reported(String runId, int attempt) {
    return reported.contains(runId + "#" + attempt);
  }

  /** Whether some report is not acknowledged yet. */
  public boolean pending() {
    return !due.isEmpty();
  }

  private void send(String key) {
    List<StepFinished> ends = due.get(key);
    if (ends == null || !sending.add(key)) {
      return;
    }
    try {
      // one producer, one key (the job id): the broker keeps them in this order
      CompletableFuture<?>[] sent =
          ends.stream().map(publisher).toArray(CompletableFuture<?>[]::new);
      CompletableFuture.allOf(sent)
          .whenComplete(
              (done, failure) -> {
                if (failure == null) {
                  reported.add(key);
                  due.remove(key);
                  log.info(
                      "Reported the outcome of run attempt {} ({} step ends)", key, sent.length);
                } else {
                  log.warn(
                      "Could not report the outcome of run attempt {} yet: {}",
                      key,
                      failure.toString());
                }
                sending.remove(key);
              });
    } catch (RuntimeException e) {
      sending.remove(key);
      log.warn("Could not report the outcome of run attempt {} yet: {}", key, e.toString());
    }
  }
}

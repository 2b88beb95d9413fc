package io.gridrun.runner.execution;

import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.StepExit;
import io.gridrun.runner.runtime.StepHandle;
import io.gridrun.runner.runtime.StepLaunch;
import io.gridrun.runner.runtime.StepLaunchException;
import io.gridrun.runner.runtime.StepPaths;
import io.gridrun.runner.runtime.StepWorkspace;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Steps as Java code: each step id gets a behaviour; records what ran and when. */
class FakeRuntime implements ContainerRuntime {

  interface Behaviour {
    int run(StepLaunch launch, OutputStream output) throws Exception;
  }

  /** When a step ran, by {@link System#nanoTime()}. */
  record Span(String step, long start, long end) {
    boolean overlaps(Span other) {
      return start < other.end && other.start < end;
    }
  }

  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, String> launchFailures = new ConcurrentHashMap<>();
  private final Map<String, String> permanentLaunchFailures = new ConcurrentHashMap<>();
  private final Set<String> hanging = ConcurrentHashMap.newKeySet();
  private final Map<String, Queue<Integer>> exitCodesInTurn = new ConcurrentHashMap<>();
  private final List<StepLaunch> launches = new ArrayList<>();
  private final List<Span> spans = new ArrayList<>();
  final List<String> closed = new ArrayList<>();
  private volatile boolean closedOnceEndRecorded;
  private volatile java.util.function.Consumer<String> onClose = step -> {};

  /** Handles ask to be closed once their step's end is recorded, as containers do. */
  FakeRuntime closedOnceEndRecorded(java.util.function.Consumer<String> onClose) {
    this.closedOnceEndRecorded = true;
    this.onClose = onClose;
    return this;
  }

  FakeRuntime on(String step, Behaviour behaviour) {
    behaviours.put(step, behaviour);
    return this;
  }

  FakeRuntime exits(String step, int code) {
    return on(step, (launch, out) -> code);
  }

  private final java.util.Set<String> missingImages = new java.util.HashSet<>();

  /** The runtime does not have this image: runs using it are rejected before they start. */
  FakeRuntime lacksImage(String image) {
    missingImages.add(image);
    return this;
  }

  @Override
  public java.util.Optional<String> unavailable(String image) {
    return missingImages.contains(image)
        ? java.util.Optional.of("image not found: " + image)
        : java.util.Optional.empty();
  }

  FakeRuntime cannotLaunch(String step, String reason) {
    launchFailures.put(step, reason);
    return this;
  }

  /** Launching fails in a way no retry can change (an image that does not exist). */
  FakeRuntime cannotEverLaunch(String step, String reason) {
    permanentLaunchFailures.put(step, reason);
    return this;
  }

  /** The step runs until it is killed, then exits 137 as a killed container does. */
  FakeRuntime hangs(String step) {
    hanging.add(step);
    return this;
  }

  /** Each attempt of the step exits with the next code; the last code repeats. */
  FakeRuntime exitsInTurn(String step, Integer... codes) {
    exitCodesInTurn.put(step, new ConcurrentLinkedQueue<>(List.of(codes)));
    return on(
        step,
        (launch, out) -> {
          Queue<Integer> left = exitCodesInTurn.get(step);
          return left.size() > 1 ? left.poll() : left.peek();
        });
  }

  /** Every attempt of the step, in order. */
  synchronized List<Span> spans(String step) {
    return spans.stream().filter(s -> s.step().equals(step)).toList();
  }

  synchronized List<String> launched() {
    return launches.stream().map(l -> l.labels().get(StepLaunch.LABEL_STEP)).toList();
  }

  synchronized StepLaunch launchOf(String step) {
    return launches.stream()
        .filter(l -> l.labels().get(StepLaunch.LABEL_STEP).equals(step))
        .findFirst()
        .orElseThrow();
  }

  synchronized Span span(String step) {
    return spans.stream().filter(s -> s.step().equals(step)).findFirst().orElseThrow();
  }

  @Override
  public StepPaths pathsFor(StepWorkspace workspace) {
    return new StepPaths(
        workspace.project().toString(),
        workspace.data().toString(),
        workspace.paramsFile().toString(),
        workspace.metricsFile().toString());
  }

  /** What happened to each step's launch before its start: "prepared s", "discarded s". */
  final List<String> preparations = java.util.Collections.synchronizedList(new ArrayList<>());

  /** As a container runtime does: prepared (created) first, then the gate, then started. */
  @Override
  public StepHandle start(StepLaunch launch, OutputStream output, Runnable beforeStart)
      throws StepLaunchException {
    String step = launch.labels().get(StepLaunch.LABEL_STEP);
    preparations.add("prepared " + step);
    try {
      beforeStart.run();
    } catch (RuntimeException e) {
      preparations.add("discarded " + step);
      throw e;
    }
    return start(launch, output);
  }

  @Override
  public StepHandle start(StepLaunch launch, OutputStream output) throws StepLaunchException {
    String step = launch.labels().get(StepLaunch.LABEL_STEP);
    if (launchFailures.containsKey(step)) {
      throw new StepLaunchException(launchFailures.get(step));
    }
    if (permanentLaunchFailures.containsKey(step)) {
      throw StepLaunchException.permanent(permanentLaunchFailures.get(step), null);
    }
    synchronized (this) {
      launches.add(launch);
    }
    CountDownLatch killed = new CountDownLatch(1);
    return new StepHandle() {
      @Override
      public StepExit waitFor() throws InterruptedException {
        long start = System.nanoTime();
        int code;
        if (hanging.contains(step)) {
          if (!killed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(step + " hung for 30 s and nobody killed it");
          }
          code = 137;
        } else {
          try {
            code = behaviours.getOrDefault(step, (l, o) -> 0).run(launch, output);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        long end = System.nanoTime();
        synchronized (FakeRuntime.this) {
          spans.add(new Span(step, start, end));
        }
        return StepExit.of(code);
      }

      @Override
      public void kill() {
        killed.countDown();
      }

      @Override
      public boolean closedOnceEndRecorded() {
        return closedOnceEndRecorded;
      }

      @Override
      public void close() {
        onClose.accept(step);
        synchronized (FakeRuntime.this) {
          closed.add(step);
        }
      }
    };
  }

  @Override
  public String name() {
    return "fake";
  }
}

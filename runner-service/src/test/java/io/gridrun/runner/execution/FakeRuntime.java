package io.gridrun.runner.execution;

import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.StepHandle;
import io.gridrun.runner.runtime.StepLaunch;
import io.gridrun.runner.runtime.StepLaunchException;
import io.gridrun.runner.runtime.StepPaths;
import io.gridrun.runner.runtime.StepWorkspace;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
  private final List<StepLaunch> launches = new ArrayList<>();
  private final List<Span> spans = new ArrayList<>();
  final List<String> closed = new ArrayList<>();

  FakeRuntime on(String step, Behaviour behaviour) {
    behaviours.put(step, behaviour);
    return this;
  }

  FakeRuntime exits(String step, int code) {
    return on(step, (launch, out) -> code);
  }

  FakeRuntime cannotLaunch(String step, String reason) {
    launchFailures.put(step, reason);
    return this;
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

  @Override
  public StepHandle start(StepLaunch launch, OutputStream output) throws StepLaunchException {
    String step = launch.labels().get(StepLaunch.LABEL_STEP);
    if (launchFailures.containsKey(step)) {
      throw new StepLaunchException(launchFailures.get(step));
    }
    synchronized (this) {
      launches.add(launch);
    }
    return new StepHandle() {
      @Override
      public int waitFor() {
        long start = System.nanoTime();
        int code;
        try {
          code = behaviours.getOrDefault(step, (l, o) -> 0).run(launch, output);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        long end = System.nanoTime();
        synchronized (FakeRuntime.this) {
          spans.add(new Span(step, start, end));
        }
        return code;
      }

      @Override
      public void kill() {}

      @Override
      public void close() {
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

package io.gridrun.common.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The dependency graph of a pipeline's steps. Assumes every {@code dependsOn} names a step. */
public final class Dag {

  private final Map<String, List<String>> dependencies = new LinkedHashMap<>();

  private Dag() {}

  public static Dag of(PipelineDefinition pipeline) {
    Dag dag = new Dag();
    for (StepDefinition step : pipeline.steps()) {
      dag.dependencies.put(step.id(), step.dependsOn());
    }
    return dag;
  }

  public List<String> dependenciesOf(String step) {
    return dependencies.getOrDefault(step, List.of());
  }

  /** Steps that directly depend on {@code step}. */
  public List<String> dependentsOf(String step) {
    return dependencies.entrySet().stream()
        .filter(e -> e.getValue().contains(step))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Every step reachable downstream of {@code step}, excluding itself. */
  public Set<String> downstreamOf(String step) {
    Set<String> seen = new java.util.LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(dependentsOf(step));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (seen.add(next)) {
        todo.addAll(dependentsOf(next));
      }
    }
    return seen;
  }

  /**
   * Steps in an order where each comes after all its dependencies; ties keep pipeline order.
   *
   * @throws IllegalStateException if the steps form a cycle
   */
  public List<String> topologicalOrder() {
    Map<String, Integer> remaining = new LinkedHashMap<>();
    dependencies.forEach((step, deps) -> remaining.put(step, deps.size()));
    List<String> order = new ArrayList<>();
    boolean progressed = true;
    while (!remaining.isEmpty() && progressed) {
      progressed = false;
      for (var it = remaining.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        if (order.containsAll(dependencies.get(entry.getKey()))) {
          order.add(entry.getKey());
          it.remove();
          progressed = true;
          break;
        }
      }
    }
    if (!remaining.isEmpty()) {
      throw new IllegalStateException("steps form a cycle: " + remaining.keySet());
    }
    return order;
  }

  /** One cycle among the steps, as a path that starts and ends at the same step, if any. */
  public Optional<List<String>> cycle() {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    for (String start : dependencies.keySet()) {
      Deque<String> path = new ArrayDeque<>();
      Optional<List<String>> found = visit(start, state, path);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private Optional<List<String>> visit(
      String step, Map<String, Integer> state, Deque<String> path) {
    Integer s = state.get(step);
    if (s != null && s == 2) {
      return Optional.empty();
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>();
      boolean in = false;
      for (var it = path.descendingIterator(); it.hasNext(); ) {
        String p = it.next();
        in = in || p.equals(step);
        if (in) {
          cycle.add(p);
        }
      }
      cycle.add(step);
      return Optional.of(cycle);
    }
    state.put(step, 1);
    path.push(step);
    for (String dep : dependenciesOf(step)) {
      Optional<List<String>> found = visit(dep, state, path);
      if (found.isPresent()) {
        return found;
      }
    }
    path.pop();
    state.put(step, 2);
    return Optional.empty();
  }
}

package io.gridrun.gateway.ui.runs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pipeline drawn as an SVG: steps as boxes in columns by topological layer (a step sits one
 * column right of its deepest dependency), edges from each {@code dependsOn} to its step.
 */
public record Dag(int width, int height, List<Node> nodes, List<Edge> edges) {

  static final int BOX_WIDTH = 150;
  static final int BOX_HEIGHT = 46;
  static final int GAP_X = 60;
  static final int GAP_Y = 18;
  static final int PAD = 12;

  /** A step as given to the layout: its id, title (may be null), status and dependencies. */
  public record Step(String id, String title, String status, List<String> dependsOn) {}

  /** A box. */
  public record Node(
      String id, String title, String status, int x, int y, boolean selected, String label) {
    public int textX() {
      return x + 10;
    }

    public int width() {
      return BOX_WIDTH;
    }

    public int height() {
      return BOX_HEIGHT;
    }
  }

  /** An edge as an SVG path from {@code from} to {@code to}. */
  public record Edge(String from, String to, String d) {}

  public static Dag layout(List<Step> steps, String selected) {
    Map<String, Step> byId = new LinkedHashMap<>();
    steps.forEach(s -> byId.put(s.id(), s));
    Map<String, Integer> layers = new HashMap<>();
    for (Step s : steps) {
      layer(s.id(), byId, layers, new java.util.HashSet<>());
    }
    Map<Integer, Integer> rows = new HashMap<>();
    Map<String, Node> nodes = new LinkedHashMap<>();
    int maxLayer = 0;
    int maxRow = 0;
    for (Step s : steps) {
      int layer = layers.get(s.id());
      int row = rows.merge(layer, 1, Integer::sum) - 1;
      maxLayer = Math.max(maxLayer, layer);
      maxRow = Math.max(maxRow, row);
      String label = s.id() + ": " + (s.status() == null ? "not run" : s.status());
      nodes.put(
          s.id(),
          new Node(
              s.id(),
              s.title(),
              s.status() == null ? "PENDING" : s.status(),
              PAD + layer * (BOX_WIDTH + GAP_X),
              PAD + row * (BOX_HEIGHT + GAP_Y),
              s.id().equals(selected),
              label));
    }
    List<Edge> edges = new ArrayList<>();
    for (Step s : steps) {
      Node to = nodes.get(s.id());
      for (String dep : s.dependsOn()) {
        Node from = nodes.get(dep);
        if (from != null) {
          edges.add(new Edge(dep, s.id(), path(from, to)));
        }
      }
    }
    return new Dag(
        2 * PAD + (maxLayer + 1) * BOX_WIDTH + maxLayer * GAP_X,
        2 * PAD + (maxRow + 1) * BOX_HEIGHT + maxRow * GAP_Y,
        List.copyOf(nodes.values()),
        List.copyOf(edges));
  }

  private static int layer(
      String id, Map<String, Step> byId, Map<String, Integer> layers, java.util.Set<String> seen) {
    Integer known = layers.get(id);
    if (known != null) {
      return known;
    }
    Step step = byId.get(id);
    if (step == null || !seen.add(id)) {
      return -1; // unknown dependency or a cycle (the API refuses both): no constraint
    }
    int layer = 0;
    for (String dep : step.dependsOn()) {
      layer = Math.max(layer, layer(dep, byId, layers, seen) + 1);
    }
    layers.put(id, layer);
    return layer;
  }

  private static String path(Node from, Node to) {
    double x1 = from.x() + BOX_WIDTH;
    double y1 = from.y() + BOX_HEIGHT / 2.0;
    double x2 = to.x() - 4;
    double y2 = to.y() + BOX_HEIGHT / 2.0;
    double mid = (x1 + x2) / 2;
    return String.format(
        Locale.ROOT,
        "M%.1f %.1f C%.1f %.1f, %.1f %.1f, %.1f %.1f",
        x1,
        y1,
        mid,
        y1,
        mid,
        y2,
        x2,
        y2);
  }
}

package io.gridrun.common.pipeline;

/**
 * The operator's policy on step networks ({@code gridrun.runner.network-policy}).
 *
 * <ul>
 *   <li>{@code NONE}: no step gets a network; a step that asks for one fails with the reason;
 *   <li>{@code ALLOWED}: a step gets a network when it (or its environment) asks for one;
 *   <li>{@code ALWAYS}: every step gets a network.
 * </ul>
 */
public enum NetworkPolicy {
  NONE,
  ALLOWED,
  ALWAYS;

  /**
   * Whether a step that {@code wants} a network gets one; NONE refuses it (see {@link #refuses}).
   */
  public boolean grants(boolean wants) {
    return this == ALWAYS || (this == ALLOWED && wants);
  }

  /** Whether a step that {@code wants} a network may not run at all. */
  public boolean refuses(boolean wants) {
    return this == NONE && wants;
  }

  /** Why step {@code stepId} cannot run under this policy. */
  public static String refusal(String stepId) {
    return "step '"
        + stepId
        + "' asks for a network, which the operator's gridrun.runner.network-policy=none forbids";
  }
}

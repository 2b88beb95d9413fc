package io.gridrun.local;

/** Told by {@link LocalStack} as each part of the stack (broker, database, service) starts. */
@FunctionalInterface
public interface StartListener {

  StartListener NONE = part -> {};

  /**
   * {@code part} starts now: one of the stack's parts (broker, database, services), in their start
   * order.
   */
  void starting(String part);
}

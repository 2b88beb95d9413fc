package io.gridrun.local;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The start-up's one line of progress: which part of the stack is starting, of how many; on a
 * terminal it is redrawn in place, with the seconds gone by, until the stack is ready.
 */
final class StartProgress implements StartListener {

  private final ProgressLine line;
  private final boolean inPlace;
  private final List<String> parts;
  private final Clock clock;
  private final Instant began;
  private final ScheduledExecutorService ticker;
  private volatile String current;

  StartProgress(PrintStream out, boolean inPlace, List<String> parts, Clock clock) {
    this.line = new ProgressLine(out, inPlace);
    this.inPlace = inPlace;
    this.parts = List.copyOf(parts);
    this.clock = clock;
    this.began = clock.instant();
    if (inPlace) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "gridrun-start-progress");
                thread.setDaemon(true);
                return thread;
              });
      ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
    } else {
      ticker = null;
    }
  }

  @Override
  public void starting(String part) {
    current = part;
    redraw();
  }

  /** The part that is starting, or was when the start failed; null before the first. */
  String current() {
    return current;
  }

  private void redraw() {
    String part = current;
    if (part == null) {
      return;
    }
    String text =
        "gridrun: starting " + part + " (" + (parts.indexOf(part) + 1) + "/" + parts.size() + ")";
    line.show(inPlace ? text + "  " + seconds() + " s" : text);
  }

  /** The stack is up: the progress gives way to one line that says so. */
  void ready() {
    stopTicking();
    line.finish("gridrun: ready in " + seconds() + " s");
  }

  /** The start failed: the progress goes, for the failure to be told. */
  void failed() {
    stopTicking();
    line.clear();
  }

  private long seconds() {
    return Duration.between(began, clock.instant()).toSeconds();
  }

  private void stopTicking() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}

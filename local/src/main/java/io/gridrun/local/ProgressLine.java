package io.gridrun.local;

import java.io.PrintStream;

/**
 * One line of progress on the console: on a terminal it is redrawn in place, otherwise each new
 * state is a plain line of its own (and a state shown already is not repeated).
 */
final class ProgressLine {

  private static final String CLEAR_TO_END = "\033[K";

  private final PrintStream out;
  private final boolean inPlace;
  private String shown = "";
  private boolean ended;

  ProgressLine(PrintStream out, boolean inPlace) {
    this.out = out;
    this.inPlace = inPlace;
  }

  /** A console that is a terminal, with no logging interleaved, can redraw a line in place. */
  static boolean terminal(boolean verbose) {
    return !verbose && System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  synchronized void show(String text) {
    if (ended || text.equals(shown)) {
      return;
    }
    shown = text;
    if (inPlace) {
      out.print("\r" + text + CLEAR_TO_END);
      out.flush();
    } else {
      out.println(text);
    }
  }

  /** Replaces the progress with a last line that stays; the line shows nothing more after it. */
  synchronized void finish(String text) {
    if (ended) {
      return;
    }
    if (inPlace) {
      out.print("\r" + text + CLEAR_TO_END + System.lineSeparator());
      out.flush();
    } else if (!text.equals(shown)) {
      out.println(text);
    }
    ended = true;
  }

  /** Removes the progress from a terminal, leaving nothing; a plain line stays as it is. */
  synchronized void clear() {
    if (inPlace && !ended && !shown.isEmpty()) {
      out.print("\r" + CLEAR_TO_END);
      out.flush();
    }
    ended = true;
  }
}

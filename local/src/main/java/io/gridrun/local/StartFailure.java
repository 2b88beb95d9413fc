package io.gridrun.local;

import java.util.List;

/**
 * The local stack did not start, or was not to be started: what to tell the person who started it
 * (a first line, then maybe the lines that show why), in place of a stack trace.
 */
final class StartFailure extends Exception {

  private final List<String> lines;

  StartFailure(List<String> lines, Throwable cause) {
    super(lines.get(0), cause);
    this.lines = List.copyOf(lines);
  }

  /** A refusal to start, told in one line. */
  StartFailure(String line) {
    this(List.of(line), null);
  }

  List<String> lines() {
    return lines;
  }
}

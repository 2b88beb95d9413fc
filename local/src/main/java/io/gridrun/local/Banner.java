package io.gridrun.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines printed once the stack is ready, in the order they are added: {@code label value}, and
 * lines that continue the one before, indented under its value. The first is the UI's address.
 */
final class Banner {

  private final List<String> lines = new ArrayList<>();
  private int indent;

  /** A line {@code label value}. */
  Banner line(String label, String value) {
    lines.add(label + "  " + value);
    indent = label.length() + 2;
    return this;
  }

  /** A line under the value of the line before, e.g. a second address of the same thing. */
  Banner more(String value) {
    lines.add(" ".repeat(indent) + value);
    return this;
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  void print(PrintStream out) {
    lines.forEach(out::println);
    out.flush();
  }
}

package io.gridrun.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** An aligned text table: columns two spaces apart, numbers right-aligned, no trailing spaces. */
final class Table {

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  Table(String... headers) {
    this(Arrays.asList(headers));
  }

  Table row(List<String> cells) {
    List<String> row = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      String cell = i < cells.size() ? cells.get(i) : "";
      row.add(cell == null ? "" : cell.replaceAll("[\r\n\t]+", " "));
    }
    rows.add(row);
    return this;
  }

  Table row(Object... cells) {
    List<String> texts = new ArrayList<>();
    for (Object cell : cells) {
      texts.add(cell == null ? "" : String.valueOf(cell));
    }
    return row(texts);
  }

  /**
   * Prints this table of a page of runs to {@code out}, then how many of how many runs it shows
   * when the page holds fewer than all.
   */
  void printRuns(java.io.PrintStream out, tools.jackson.databind.JsonNode page) {
    out.print(render());
    long total = page.path("total").asLong(0);
    if (total > page.path("items").size()) {
      out.println("(" + page.path("items").size() + " of " + total + " runs)");
    }
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  String render() {
    int columns = headers.size();
    int[] widths = new int[columns];
    boolean[] numeric = new boolean[columns];
    for (int c = 0; c < columns; c++) {
      widths[c] = headers.get(c).length();
      boolean allNumbers = !rows.isEmpty();
      for (List<String> row : rows) {
        String cell = row.get(c);
        widths[c] = Math.max(widths[c], cell.length());
        if (!cell.isEmpty() && !NUMBER.matcher(cell).matches()) {
          allNumbers = false;
        }
      }
      numeric[c] = allNumbers;
    }
    StringBuilder text = new StringBuilder();
    line(text, headers, widths, numeric);
    for (List<String> row : rows) {
      line(text, row, widths, numeric);
    }
    return text.toString();
  }

  private static void line(
      StringBuilder text, List<String> cells, int[] widths, boolean[] numeric) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < widths.length; c++) {
      if (c > 0) {
        line.append("  ");
      }
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(numeric[c] ? pad + cell : cell + pad);
    }
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      end--;
    }
    text.append(line, 0, end).append('\n');
  }
}

package io.gridrun.gateway.ui.jobs;

import java.util.List;

/** What the Scheduling section says will happen: the next firings, or a note, or a problem. */
public record FiringsView(List<String> firings, String note, String problem) {

  static FiringsView note(String text) {
    return new FiringsView(List.of(), text, null);
  }

  static FiringsView problem(String text) {
    return new FiringsView(List.of(), null, text);
  }
}

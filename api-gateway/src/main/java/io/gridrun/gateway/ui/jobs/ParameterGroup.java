package io.gridrun.gateway.ui.jobs;

import java.util.List;

/**
 * The values fields of the pipeline ({@code step} empty) or of one step, as the form groups them.
 */
public record ParameterGroup(String step, List<Item> items) {

  /** A field and its position among all the form's fields (its id is {@code value-<index>}). */
  public record Item(int index, ParameterField field) {}

  public String legend() {
    return step.isEmpty() ? "Pipeline parameters" : "Step " + step;
  }
}

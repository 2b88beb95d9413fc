package io.gridrun.gateway.ui.jobs;

/**
 * One values field of the New job form: a pipeline parameter ({@code step} empty) or a step's, its
 * text as typed (a JSON list of values or one JSON value) and the parser's message when it is not
 * JSON.
 */
public record ParameterField(String step, String name, String value, String error) {

  /** {@code alpha} for a pipeline parameter, {@code fit.depth} for a step's: its column name. */
  public String label() {
    return step.isEmpty() ? name : step + "." + name;
  }

  public boolean pipelineLevel() {
    return step.isEmpty();
  }

  ParameterField withError(String message) {
    return new ParameterField(step, name, value, message);
  }
}

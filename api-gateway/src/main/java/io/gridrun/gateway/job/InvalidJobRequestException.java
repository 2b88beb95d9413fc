package io.gridrun.gateway.job;

import java.util.List;

/** A job submission that cannot be accepted; each problem is a sentence for a person. */
public class InvalidJobRequestException extends RuntimeException {

  private final List<String> problems;

  public InvalidJobRequestException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public InvalidJobRequestException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}

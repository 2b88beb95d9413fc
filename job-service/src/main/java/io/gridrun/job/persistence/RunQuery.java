package io.gridrun.job.persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.mongodb.core.query.Criteria;

/**
 * A filter over one job's runs: status, batch and parameter values, all optional.
 *
 * @param parameters {@code name} (a pipeline parameter) or {@code step.name} (a step's) to the
 *     value asked for, as given in the URL
 */
public record RunQuery(String status, Integer batch, Map<String, String> parameters) {

  public RunQuery {
    parameters = parameters == null ? Map.of() : new LinkedHashMap<>(parameters);
  }

  public boolean filters() {
    return status != null || batch != null || !parameters.isEmpty();
  }

  Criteria criteria(String jobId) {
    Criteria criteria = Criteria.where("jobId").is(jobId);
    if (status != null) {
      criteria = criteria.and("status").is(status);
    }
    if (batch != null) {
      criteria = criteria.and("batch").is(batch);
    }
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      criteria = criteria.and(field(p.getKey())).in(candidates(p.getValue()));
    }
    return criteria;
  }

  /** Where a parameter lives in a run document: {@code lr} or {@code train.epochs}. */
  static String field(String name) {
    int dot = name.indexOf('.');
    return dot < 0
        ? "parameters.pipeline." + name
        : "parameters.steps." + name.substring(0, dot) + "." + name.substring(dot + 1);
  }

  /** A URL value may stand for a JSON number, boolean or string: match any of them. */
  static List<Object> candidates(String value) {
    List<Object> values = new ArrayList<>();
    values.add(value);
    try {
      values.add(Long.parseLong(value));
      values.add(Integer.parseInt(value));
    } catch (NumberFormatException notAnInteger) {
      // maybe a decimal
    }
    try {
      values.add(Double.parseDouble(value));
    } catch (NumberFormatException notANumber) {
      // a string or boolean
    }
    if (value.equals("true") || value.equals("false")) {
      values.add(Boolean.parseBoolean(value));
    }
    return values;
  }
}

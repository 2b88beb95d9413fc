package io.gridrun.platform.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** gridrun's page shape: {@code {"items": [..], "page": n, "size": n, "total": n}}. */
public final class Pages {

  public static final int MAX_SIZE = 500;

  private Pages() {}

  public static void check(int page, int size) {
    if (page < 0) {
      throw ApiProblem.badRequest("page must be 0 or more, not " + page);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw ApiProblem.badRequest("size must be between 1 and " + MAX_SIZE + ", not " + size);
    }
  }

  public static Map<String, Object> of(List<?> items, int page, int size, long total) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("items", items);
    answer.put("page", page);
    answer.put("size", size);
    answer.put("total", total);
    return answer;
  }
}

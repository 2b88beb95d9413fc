package io.gridrun.gateway.ui.jobs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A page of a list of the API: {@code {"items": [..], "page", "size", "total"}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiPage<T>(List<T> items, int page, int size, long total) {

  public ApiPage {
    items = items == null ? List.of() : items;
  }

  public int lastPage() {
    return size <= 0 || total == 0 ? 0 : (int) ((total - 1) / size);
  }

  public boolean hasPrevious() {
    return page > 0;
  }

  public boolean hasNext() {
    return page < lastPage();
  }

  /** {@code 51–100 of 230}. */
  public String range() {
    if (items.isEmpty()) {
      return "0 of " + total;
    }
    long first = (long) page * size + 1;
    return first + "–" + (first + items.size() - 1) + " of " + total;
  }
}

package io.gridrun.job.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** gridrun's page shape: {@code {"items": [..], "page": n, "size": n, "total": n}}. */
@JsonPropertyOrder({"items", "page", "size", "total"})
public record Page<T>(List<T> items, int page, int size, long total) {}

package io.gridrun.platform.web;

import java.util.List;

/**
 * gridrun's page shape, {@code {"items": [..], "page": n, "size": n, "total": n}}, as a type: what
 * {@link Pages#of} answers as a map.
 */
public record Page<T>(List<T> items, int page, int size, long total) {}

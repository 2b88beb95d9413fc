package io.gridrun.gateway.web;

import java.util.List;

/**
 * gridrun's page shape: {@code {"items": [..], "page": n, "size": n, "total": n}}.
 *
 * @param <T> the items' type
 */
public record Page<T>(List<T> items, int page, int size, long total) {}

package io.gridrun.gateway.ui.jobs;

/**
 * What the Job page shows besides the job, as its URL says: the tab ({@code runs} or {@code
 * results}), the runs filters and page, the results' sort and the charts' choices.
 */
public record JobPageQuery(
    String tab,
    String status,
    String param,
    String value,
    int page,
    String sort,
    String order,
    String metric,
    String x,
    String color) {}

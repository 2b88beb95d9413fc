package io.gridrun.gateway.events;

/** One event of the status topic with its place in it. */
public record StatusRecord(int partition, long offset, String jobId, String type, String json) {}

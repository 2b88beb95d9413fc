package io.gridrun.job.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The answer to a command: the job (or run) it is for and the action published. */
@JsonPropertyOrder({"id", "action"})
record Accepted(String id, String action) {}

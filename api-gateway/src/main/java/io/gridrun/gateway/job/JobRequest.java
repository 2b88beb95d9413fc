package io.gridrun.gateway.job;

import io.gridrun.common.grid.ParameterGrid;
import java.util.Map;

/** A job submission after its JSON was read, before it is checked against the pipeline. */
public record JobRequest(
    String name,
    String project,
    String pipeline,
    ParameterGrid grid,
    Map<String, String> env,
    Integer maxParallelRuns) {}

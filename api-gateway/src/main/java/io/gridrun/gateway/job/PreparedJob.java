package io.gridrun.gateway.job;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.pipeline.PipelineDefinition;

/** A job request that passed validation, with the pipeline it was checked against. */
public record PreparedJob(JobRequest request, PipelineDefinition pipeline, long runCount) {

  public GridExpansion grid() {
    return new GridExpansion(pipeline, request.grid());
  }
}

package io.gridrun.job.application;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.Batches;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.StepState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Writes the run documents of the job's current batch, in chunks; resumes where a previous try
 * stopped (a batch's runs are a deterministic function of the job and the batch before), so a crash
 * or a redelivery writes nothing twice.
 */
public class RunMaterialisation {

  private final UseCaseContext context;
  private final RunPages pages;

  public RunMaterialisation(UseCaseContext context) {
    this.context = context;
    this.pages = context.pages();
  }

  /** The job once every run of its current batch is written (saved as it goes). */
  public JobRecord expand(JobRecord job) {
    return expand(job, UnaryOperator.identity());
  }

  /**
   * {@link #expand(JobRecord)}, handing the job to {@code afterChunk} after each chunk but the last
   * is written and saved (it requests them, say), and going on with the job it returns.
   */
  public JobRecord expand(JobRecord job, UnaryOperator<JobRecord> afterChunk) {
    Batches batches = job.batches();
    long start = batches.currentStart();
    if (job.materialized() >= start + batches.currentSize()) {
      return job;
    }
    return batches.rerunOf() == null ? expandGrid(job, afterChunk) : expandRerun(job, afterChunk);
  }

  private JobRecord expandGrid(JobRecord job, UnaryOperator<JobRecord> afterChunk) {
    long start = job.batches().currentStart();
    int batchNumber = job.batches().count() - 1;
    GridExpansion grid = new GridExpansion(job.definition(), job.grid());
    RunSelection selection = job.options().selection();
    RunParameters defaults = GridExpansion.defaults(job.definition());
    List<RunRecord> batch = new ArrayList<>();
    long position = 0;
    for (long g = 0; g < grid.size(); g++) {
      RunParameters parameters = grid.parametersAt(g);
      if (selection.keeps(g, parameters)) {
        if (start + position >= job.materialized()) {
          batch.add(newRun(job, batchNumber, start, position, g, parameters));
        }
        position++;
        if (batch.size() >= context.properties().expansionBatch()) {
          job = afterChunk.apply(written(job, batch));
        }
      }
    }
    for (int i = 0; i < selection.include().size(); i++, position++) {
      if (start + position >= job.materialized()) {
        batch.add(newRun(job, batchNumber, start, position, null, selection.included(i, defaults)));
      }
    }
    return lastWritten(job, batch);
  }

  /** A batch of the failed and aborted runs of an earlier batch, in their order. */
  private JobRecord expandRerun(JobRecord job, UnaryOperator<JobRecord> afterChunk) {
    Batches batches = job.batches();
    long start = batches.currentStart();
    int batchNumber = batches.count() - 1;
    List<RunRecord> batch = new ArrayList<>();
    long position = 0;
    for (List<RunRecord> chunk : pages.chunks(job.id(), batches.rerunOf(), batches.rerunOfSize())) {
      for (RunRecord earlier : chunk) {
        if (!rerunnable(earlier)) {
          continue;
        }
        if (start + position >= job.materialized()) {
          batch.add(
              newRun(job, batchNumber, start, position, earlier.gridIndex(), earlier.parameters()));
        }
        position++;
        if (batch.size() >= context.properties().expansionBatch()) {
          job = afterChunk.apply(written(job, batch));
        }
      }
    }
    return lastWritten(job, batch);
  }

  /** Whether a re-run of failures takes the run again. */
  public static boolean rerunnable(RunRecord run) {
    return run.status() == ExecutionStatus.FAILURE || run.status() == ExecutionStatus.ABORTED;
  }

  /**
   * A chunk of runs written, and the job's count of them saved at once: a crash during a long
   * expansion resumes after the last chunk saved.
   */
  private JobRecord written(JobRecord job, List<RunRecord> batch) {
    JobRecord next = inserted(job, batch);
    if (next != job) {
      context.jobs().replace(next);
    }
    return next;
  }

  /**
   * The expansion's last chunk written; the job's count of them is saved with the job's next write,
   * at the latest when the batch of events ends ({@link
   * io.gridrun.job.domain.port.Jobs#replaceLater}): the dispatch that usually follows writes the
   * job anyway. A crash before that writes the chunk again on the redelivery, which keeps the runs
   * already there.
   */
  private JobRecord lastWritten(JobRecord job, List<RunRecord> batch) {
    JobRecord next = inserted(job, batch);
    if (next != job) {
      context.jobs().replaceLater(next);
    }
    return next;
  }

  private JobRecord inserted(JobRecord job, List<RunRecord> batch) {
    if (batch.isEmpty()) {
      return job;
    }
    boolean allNew = context.runs().insertAll(batch);
    context.metrics().queued(batch.size());
    JobRecord next = job.withMaterialized(job.materialized() + batch.size(), batch.size());
    batch.clear();
    // runs written before a crash lost the job's write: they may have been requested, run and
    // ended since, counted while the job did not know them, so it counts them from their documents
    return allNew ? next : RunProgress.recounted(context.runs(), next);
  }

  private static RunRecord newRun(
      JobRecord job,
      int batch,
      long batchStart,
      long index,
      Long gridIndex,
      RunParameters parameters) {
    List<StepState> steps =
        job.definition().steps().stream().map(StepDefinition::id).map(StepState::pending).toList();
    long seq = batchStart + index;
    return new RunRecord(
        RunRecord.idOf(job.id(), seq),
        job.id(),
        index,
        gridIndex,
        batch,
        seq,
        ExecutionStatus.PENDING,
        1,
        parameters,
        steps,
        null,
        null,
        null,
        null,
        null);
  }
}

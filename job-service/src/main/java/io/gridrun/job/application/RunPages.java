package io.gridrun.job.application;

import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.port.Runs;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.LongStream;

/** A job's runs by sequence number, read a chunk at a time (never all of a large job at once). */
public class RunPages {

  private final Runs runs;
  private final int size;

  public RunPages(Runs runs, int size) {
    this.runs = runs;
    this.size = size;
  }

  /** The ids of the job's runs {@code from .. to - 1}. */
  public static List<String> ids(String jobId, long from, long to) {
    return LongStream.range(from, to).mapToObj(seq -> RunRecord.idOf(jobId, seq)).toList();
  }

  /** The runs with sequence numbers {@code from} .. {@code from + count - 1}, chunk by chunk. */
  public Iterable<List<RunRecord>> chunks(String jobId, long from, long count) {
    return () ->
        new Iterator<>() {
          long next = from;

          @Override
          public boolean hasNext() {
            return next < from + count;
          }

          @Override
          public List<RunRecord> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            long end = Math.min(from + count, next + size);
            List<String> ids = ids(jobId, next, end);
            next = end;
            return runs.findAll(ids);
          }
        };
  }

  public int size() {
    return size;
  }
}

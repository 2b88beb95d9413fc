package io.gridrun.job.domain.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Filters decided on entries and the grid equal filters applied to each run's parameters. */
class RunFilterTest {

  private static final PipelineDefinition PIPELINE =
      new PipelineDefinition(
          "p",
          Map.of("lr", 0.1, "mode", "fast"),
          Map.of(),
          List.of(
              new StepDefinition("prep", "prep.sh", "busybox", null, null, null),
              new StepDefinition(
                  "train", "train.sh", "busybox", List.of("prep"), Map.of("epochs", 5), null)));

  private static final ParameterGrid GRID =
      new ParameterGrid(
          Map.of("lr", List.of(0.1, 0.01, 7)),
          Map.of("train", Map.of("epochs", List.of(1, 2, 3, 4), "opt", List.of("sgd", "adam"))));

  private final GridExpansion grid = new GridExpansion(PIPELINE, GRID);

  @Test
  void gridValueAtEqualsTheParametersOfEveryCombination() {
    for (long g = 0; g < grid.size(); g++) {
      RunParameters parameters = grid.parametersAt(g);
      assertThat(grid.valueAt(g, null, "lr")).isEqualTo(parameters.pipeline().get("lr"));
      assertThat(grid.valueAt(g, null, "mode")).isEqualTo("fast");
      assertThat(grid.valueAt(g, "train", "epochs"))
          .isEqualTo(parameters.step("train").get("epochs"));
      assertThat(grid.valueAt(g, "train", "opt")).isEqualTo(parameters.step("train").get("opt"));
      assertThat(grid.valueAt(g, "prep", "epochs")).isNull();
      assertThat(grid.valueAt(g, null, "nope")).isNull();
    }
  }

  @Test
  void everyFilterMatchesWhatABruteForceFilterOnTheParametersMatches() {
    Random random = new Random(19);
    List<RunEntry> entries = new ArrayList<>();
    Map<Long, RunParameters> parameters = new HashMap<>();
    long seq = 0;
    // batch 0: the grid with some combinations left out; batch 1: a re-run of a few, then includes
    for (long g = 0; g < grid.size(); g++) {
      if (g % 5 == 3) {
        continue;
      }
      parameters.put(seq, grid.parametersAt(g));
      entries.add(entry(seq++, random, 0, g));
    }
    for (long g = 2; g < grid.size(); g += 7) {
      parameters.put(seq, grid.parametersAt(g));
      entries.add(entry(seq++, random, 1, g));
    }
    RunParameters defaults = GridExpansion.defaults(PIPELINE);
    RunSelection selection =
        new RunSelection(
            List.of(),
            List.of(
                new RunParameters(Map.of("lr", 7), Map.of("train", Map.of("epochs", 2))),
                new RunParameters(Map.of("lr", "0.1", "mode", "slow"), Map.of())),
            null);
    for (int i = 0; i < selection.include().size(); i++) {
      parameters.put(seq, selection.included(i, defaults));
      entries.add(entry(seq++, random, 1, null));
    }

    List<Map<String, String>> filters =
        List.of(
            Map.of("lr", "0.01"),
            Map.of("lr", "7"),
            Map.of("lr", "7.0"),
            Map.of("lr", "0.1"),
            Map.of("train.epochs", "2"),
            Map.of("train.opt", "adam", "lr", "0.1"),
            Map.of("mode", "slow"),
            Map.of("mode", "fast", "train.epochs", "4"),
            Map.of("train.nope", "1"),
            Map.of());
    for (Map<String, String> params : filters) {
      for (ExecutionStatus status : statuses()) {
        for (Integer batch : new Integer[] {null, 0, 1, 2}) {
          RunFilter filter = new RunFilter(status, batch, params);
          long[] expected =
              entries.stream()
                  .filter(e -> status == null || e.status() == status)
                  .filter(e -> batch == null || e.batch() == batch)
                  .filter(e -> bruteForce(parameters.get(e.seq()), params))
                  .mapToLong(RunEntry::seq)
                  .toArray();
          List<Long> asked = new ArrayList<>();
          long[] found =
              filter.matching(
                  entries,
                  grid,
                  s -> {
                    asked.add(s);
                    return parameters.get(s);
                  });
          assertThat(found).as("%s %s %s", status, batch, params).containsExactly(expected);
          assertThat(asked).isSubsetOf(filter.undecided(entries));
        }
      }
    }
  }

  @Test
  void onlyIncludedRunsPassingStatusAndBatchNeedTheirParametersRead() {
    List<RunEntry> entries =
        List.of(
            new RunEntry(0, ExecutionStatus.SUCCESS, 0, 0L, null),
            new RunEntry(1, ExecutionStatus.SUCCESS, 0, null, null),
            new RunEntry(2, ExecutionStatus.FAILURE, 0, null, null));
    assertThat(new RunFilter(ExecutionStatus.SUCCESS, null, Map.of("lr", "1")).undecided(entries))
        .containsExactly(1L);
    assertThat(new RunFilter(ExecutionStatus.SUCCESS, null, Map.of()).undecided(entries)).isEmpty();
  }

  private static List<ExecutionStatus> statuses() {
    List<ExecutionStatus> all = new ArrayList<>(List.of(ExecutionStatus.values()));
    all.add(null);
    return all;
  }

  /** What the database's equality filter did on the stored parameters. */
  private static boolean bruteForce(RunParameters parameters, Map<String, String> filter) {
    return filter.entrySet().stream()
        .allMatch(
            f -> {
              Object value = ParameterName.parse(f.getKey()).in(parameters);
              return value != null && ValueMatch.matches(value, f.getValue());
            });
  }

  private static RunEntry entry(long seq, Random random, int batch, Long gridIndex) {
    ExecutionStatus[] statuses = ExecutionStatus.values();
    return new RunEntry(
        seq, statuses[random.nextInt(statuses.length)], batch, gridIndex, new LinkedHashMap<>());
  }

  @Test
  void idsOfBucketsAndSlotsCoverEveryRunOnce() {
    assertThat(LongStream.range(0, 1200).map(RunBuckets::bucket).distinct().count()).isEqualTo(3);
    assertThat(RunBuckets.count(1000)).isEqualTo(2);
    assertThat(RunBuckets.count(1001)).isEqualTo(3);
    assertThat(RunBuckets.slot(1001)).isEqualTo(1);
    assertThat(RunBuckets.id("j-1", 12)).isEqualTo("j-1-b00012");
  }
}

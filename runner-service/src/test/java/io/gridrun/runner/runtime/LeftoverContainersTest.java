package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class LeftoverContainersTest {

  private static final RunnerProcess SELF = new RunnerProcess("box", 100, "pid:[1]");
  private static final LongPredicate ONLY_200_ALIVE = pid -> pid == 200;

  private static Map<String, String> labels(String runner, String host, String pid, String ns) {
    Map<String, String> labels = new HashMap<>();
    labels.put(StepLaunch.LABEL_RUNNER, runner);
    if (host != null) {
      labels.put(LeftoverContainers.LABEL_HOST, host);
    }
    if (pid != null) {
      labels.put(LeftoverContainers.LABEL_PID, pid);
    }
    if (ns != null) {
      labels.put(LeftoverContainers.LABEL_PID_NAMESPACE, ns);
    }
    return labels;
  }

  private static boolean leftover(Map<String, String> labels) {
    return LeftoverContainers.isLeftover(labels, "runner-a", SELF, ONLY_200_ALIVE);
  }

  @Test
  void aContainerOfThisRunnersIdIsALeftover() {
    assertThat(leftover(labels("runner-a", "elsewhere", "200", "pid:[9]"))).isTrue();
  }

  @Test
  void aContainerOfADeadRunnerProcessOnThisHostIsALeftover() {
    assertThat(leftover(labels("box-300", "box", "300", "pid:[1]"))).isTrue();
  }

  @Test
  void onlyARunnerWithItsProcesssDefaultIdLeavesContainersNoSuccessorCanAdopt() {
    assertThat(LeftoverContainers.withoutSuccessor(labels("box-300", "box", "300", "pid:[1]")))
        .isTrue();
    // a configured id: a runner started again under it adopts the containers
    assertThat(LeftoverContainers.withoutSuccessor(labels("runner-a", "box", "300", "pid:[1]")))
        .isFalse();
    assertThat(LeftoverContainers.withoutSuccessor(labels("box-301", "box", "300", "pid:[1]")))
        .isFalse();
    assertThat(LeftoverContainers.withoutSuccessor(labels("box-300", null, null, null))).isFalse();
  }

  @Test
  void aContainerOfALiveNeighbourWithTheSameRunnerIdIsNeverAPredecessorsToAdopt() {
    // two runners configured with the same id on one host: the live one's steps stay its own
    assertThat(
            LeftoverContainers.createdByLiveNeighbour(
                labels("runner-a", "box", "200", "pid:[1]"), SELF, ONLY_200_ALIVE))
        .isTrue();
    // a predecessor that died, this process itself, or a process whose liveness cannot be judged
    assertThat(
            LeftoverContainers.createdByLiveNeighbour(
                labels("runner-a", "box", "300", "pid:[1]"), SELF, ONLY_200_ALIVE))
        .isFalse();
    assertThat(
            LeftoverContainers.createdByLiveNeighbour(
                labels("runner-a", "box", "100", "pid:[1]"), SELF, ONLY_200_ALIVE))
        .isFalse();
    assertThat(
            LeftoverContainers.createdByLiveNeighbour(
                labels("runner-a", "elsewhere", "200", "pid:[1]"), SELF, ONLY_200_ALIVE))
        .isFalse();
  }

  @Test
  void containersOfLiveRunnersAndOfThisProcessAreKept() {
    assertThat(leftover(labels("box-200", "box", "200", "pid:[1]"))).isFalse();
    assertThat(leftover(labels("box-100", "box", "100", "pid:[1]"))).isFalse();
  }

  @Test
  void containersWhoseLivenessCannotBeJudgedAreKept() {
    assertThat(leftover(labels("other-300", "other-host", "300", "pid:[1]"))).isFalse();
    assertThat(leftover(labels("box-300", "box", "300", "pid:[2]"))).isFalse();
    assertThat(leftover(labels("box-300", "box", "300", null))).isFalse();
    assertThat(leftover(labels("box-x", "box", "not-a-pid", "pid:[1]"))).isFalse();
    assertThat(leftover(labels("old", null, null, null))).isFalse();
    assertThat(
            LeftoverContainers.isLeftover(
                labels("box-300", "box", "300", null),
                "runner-a",
                new RunnerProcess("box", 100, null),
                ONLY_200_ALIVE))
        .isFalse();
  }

  @Test
  void labelsARunnersProcess() {
    assertThat(LeftoverContainers.labelsOf(SELF))
        .containsEntry(LeftoverContainers.LABEL_HOST, "box")
        .containsEntry(LeftoverContainers.LABEL_PID, "100")
        .containsEntry(LeftoverContainers.LABEL_PID_NAMESPACE, "pid:[1]");
  }

  private static Map<String, String> inFleet(Map<String, String> labels, String fleet) {
    labels.put(LeftoverContainers.LABEL_FLEET, fleet);
    return labels;
  }

  @Test
  void aRunnerOfAFleetWritesItAndTouchesOnlyItsOwnFleetsContainers() {
    RunnerProcess self = new RunnerProcess("box", 100, "pid:[1]", "stack-a");
    assertThat(LeftoverContainers.labelsOf(self))
        .containsEntry(LeftoverContainers.LABEL_FLEET, "stack-a");
    assertThat(LeftoverContainers.labelsOf(SELF)).doesNotContainKey(LeftoverContainers.LABEL_FLEET);

    // a dead runner process of the same fleet: an orphan; of another fleet (a second stack on
    // the same engine, whose restarted runner adopts it) or of none: not this runner's to remove
    assertThat(
            LeftoverContainers.isOrphan(
                inFleet(labels("box-300", "box", "300", "pid:[1]"), "stack-a"),
                self,
                ONLY_200_ALIVE))
        .isTrue();
    assertThat(
            LeftoverContainers.isOrphan(
                inFleet(labels("box-300", "box", "300", "pid:[1]"), "stack-b"),
                self,
                ONLY_200_ALIVE))
        .isFalse();
    assertThat(
            LeftoverContainers.isOrphan(
                labels("box-300", "box", "300", "pid:[1]"), self, ONLY_200_ALIVE))
        .isFalse();
    // a runner without a fleet leaves every fleet's containers alone
    assertThat(
            LeftoverContainers.isOrphan(
                inFleet(labels("box-300", "box", "300", "pid:[1]"), "stack-a"),
                SELF,
                ONLY_200_ALIVE))
        .isFalse();
  }

  @Test
  void byRunnerIdAContainerOfAnotherFleetIsNotOwnButOneWithoutAFleetStillIs() {
    RunnerProcess self = new RunnerProcess("box", 100, "pid:[1]", "stack-a");
    Map<String, String> sameId = labels("runner-a", "box", "200", "pid:[1]");
    assertThat(
            LeftoverContainers.ownById(inFleet(new HashMap<>(sameId), "stack-a"), "runner-a", self))
        .isTrue();
    assertThat(
            LeftoverContainers.ownById(inFleet(new HashMap<>(sameId), "stack-b"), "runner-a", self))
        .isFalse();
    // made before fleets were written: the runner id decides
    assertThat(LeftoverContainers.ownById(sameId, "runner-a", self)).isTrue();
    assertThat(LeftoverContainers.ownById(sameId, "runner-b", self)).isFalse();
    assertThat(
            LeftoverContainers.isLeftover(
                inFleet(labels("runner-a", "elsewhere", "9", "pid:[9]"), "stack-b"),
                "runner-a",
                self,
                ONLY_200_ALIVE))
        .isFalse();
  }

  @Test
  void aContainerAdoptedByALiveRunnerProcessIsClaimedAndOneByADeadOneIsNot() {
    String name =
        "/"
            + LeftoverContainers.claimName(
                new RunnerProcess("box", 300, "pid:[1]"), "f".repeat(64));
    assertThat(name).isEqualTo("/gridrun-adopted-300-ffffffffffff");

    assertThat(LeftoverContainers.claimed(new String[] {name}, SELF, pid -> pid == 300)).isTrue();
    assertThat(LeftoverContainers.claimed(new String[] {name}, SELF, pid -> false)).isFalse();
    assertThat(LeftoverContainers.claimed(new String[] {"/gridrun-step-x"}, SELF, pid -> true))
        .isFalse();
    assertThat(LeftoverContainers.claimed(null, SELF, pid -> true)).isFalse();
  }
}

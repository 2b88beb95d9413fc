package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step containers of {@link DockerRuntime} once they are out of a launch's hands: those a dead
 * runner left (removed, or listed, claimed and adopted by the runner that starts again under its
 * id), and the removal of any of them (see {@link LeftoverContainers} for which are whose).
 */
final class DockerLeftovers {

  private static final Logger log = LoggerFactory.getLogger(DockerLeftovers.class);

  private final DockerClient docker;
  private final RunnerProcess process;
  private final ContainerRemovals removals;

  DockerLeftovers(DockerClient docker, RunnerProcess process, ContainerRemovals removals) {
    this.docker = docker;
    this.process = process;
    this.removals = removals;
  }

  /**
   * Removes the containers an earlier runner left behind (crash, kill -9): those carrying {@code
   * runnerId}, and those of a dead runner process on this host (see {@link LeftoverContainers}).
   */
  int removeLeftovers(String runnerId) {
    return removeWhere(
        labels ->
            LeftoverContainers.isLeftover(labels, runnerId, process, LeftoverContainers::alive));
  }

  /** Containers found orphaned by the last sweep: removed if the next one finds them still so. */
  private final java.util.Set<String> orphansSeen =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Removes the containers of runner processes on this host that are gone (killed meanwhile). One
   * whose runner had a configured id goes at the second sweep that finds it unclaimed: a runner
   * that starts again under that id has one sweep interval to adopt (claim) it first (see {@link
   * #leftBy}). One whose runner had its process's default id goes at once: no runner can start
   * under that id again, and its step must not run on beside the attempt that replaces it.
   */
  int removeOrphans() {
    removals.retryFailed();
    List<Container> orphans =
        containersWhere(
            labels -> LeftoverContainers.isOrphan(labels, process, LeftoverContainers::alive));
    List<String> ids = orphans.stream().map(Container::getId).toList();
    java.util.Set<String> withoutSuccessor =
        orphans.stream()
            .filter(c -> LeftoverContainers.withoutSuccessor(labelsOf(c)))
            .map(Container::getId)
            .collect(java.util.stream.Collectors.toSet());
    List<String> due =
        ids.stream()
            .filter(id -> orphansSeen.contains(id) || withoutSuccessor.contains(id))
            .toList();
    orphansSeen.retainAll(ids);
    orphansSeen.addAll(ids);
    // every due step is stopped before any removal: removals take a while each on a busy engine
    orphans.stream()
        .filter(c -> due.contains(c.getId()) && "running".equalsIgnoreCase(c.getState()))
        .forEach(c -> kill(c.getId()));
    due.forEach(this::remove);
    due.forEach(orphansSeen::remove);
    return due.size();
  }

  List<LeftStep> leftBy(String runnerId) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(StepLaunch.LABEL_RUNNER, runnerId))
        .exec()
        .stream()
        .filter(c -> !LeftoverContainers.claimed(c.getNames(), process, LeftoverContainers::alive))
        .filter(c -> LeftoverContainers.ownById(labelsOf(c), runnerId, process))
        .filter(
            c ->
                !LeftoverContainers.createdByLiveNeighbour(
                    labelsOf(c), process, LeftoverContainers::alive))
        .map(LeftoverContainers::leftStep)
        .flatMap(java.util.Optional::stream)
        .toList();
  }

  void claim(LeftStep step) {
    try {
      docker
          .renameContainerCmd(step.containerId())
          .withName(LeftoverContainers.claimName(process, step.containerId()))
          .exec();
    } catch (RuntimeException e) {
      log.warn("Could not claim container {}: {}", step.containerId(), e.getMessage());
    }
  }

  StepHandle adopt(LeftStep step, OutputStream output) {
    return new AdoptedContainer(docker, step.containerId(), output, removals);
  }

  void discard(LeftStep step) {
    remove(step.containerId());
  }

  private int removeWhere(java.util.function.Predicate<Map<String, String>> leftover) {
    List<Container> leftovers = containersWhere(leftover);
    leftovers.forEach(c -> remove(c.getId()));
    return leftovers.size();
  }

  private List<Container> containersWhere(
      java.util.function.Predicate<Map<String, String>> leftover) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(List.of(StepLaunch.LABEL_RUNNER))
        .exec()
        .stream()
        .filter(c -> leftover.test(labelsOf(c)))
        // a container a live runner process adopted is its own now
        .filter(c -> !LeftoverContainers.claimed(c.getNames(), process, LeftoverContainers::alive))
        .toList();
  }

  private void kill(String id) {
    try {
      docker.killContainerCmd(id).exec();
    } catch (RuntimeException e) {
      // it ended meanwhile, or the removal that follows deals with it
      log.debug("Could not kill container {}: {}", id, e.getMessage());
    }
  }

  private static Map<String, String> labelsOf(Container c) {
    return c.getLabels() == null ? Map.of() : c.getLabels();
  }

  /** Removes the container now (a failed removal is tried again at the next orphan sweep). */
  void remove(String id) {
    removals.removeNow(id);
  }
}

package io.gridrun.gateway.logs;

import io.gridrun.storage.logs.StepLogStore;
import io.gridrun.storage.object.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Step logs when services share no disk: a finished step's log (and its line times) is fetched from
 * the object store into the gateway's own directory the first time it is read, and served from
 * there (a stored log never changes); a running step's log is what the {@code gridrun.logs} topic
 * holds of it so far. A running step's line times are not on the topic: {@code timestamps=true}
 * answers once the step's log is stored.
 */
public class ArchivedStepLogStore extends StepLogStore {

  private final ObjectStore archive;
  private final LiveLogTopic live;

  public ArchivedStepLogStore(Path cache, ObjectStore archive, LiveLogTopic live) {
    super(cache);
    this.archive = archive;
    this.live = live;
  }

  LiveLogTopic live() {
    return live;
  }

  @Override
  public Optional<InputStream> open(String runId, String stepId) throws IOException {
    if (fetched(runId, stepId)) {
      return super.open(runId, stepId);
    }
    byte[] sofar = live.upToNow(runId, stepId);
    return sofar.length == 0 ? Optional.empty() : Optional.of(new ByteArrayInputStream(sofar));
  }

  @Override
  public boolean exists(String runId, String stepId) {
    try {
      return fetched(runId, stepId);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** True once the step's stored log is in the gateway's directory (fetched now if need be). */
  boolean fetched(String runId, String stepId) throws IOException {
    Path log = pathOf(runId, stepId);
    if (Files.exists(log)) {
      return true;
    }
    String key = runId + "/" + stepId;
    Optional<InputStream> stored = archive.open(key + ".log");
    if (stored.isEmpty()) {
      return false;
    }
    Files.createDirectories(log.getParent());
    Optional<InputStream> times = archive.open(key + ".times");
    if (times.isPresent()) {
      place(times.get(), timesOf(runId, stepId));
    }
    place(stored.get(), log); // last: its presence says both are there
    return true;
  }

  private static void place(InputStream in, Path target) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + "." + java.util.UUID.randomUUID());
    try (in) {
      Files.copy(in, temp);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}

package io.gridrun.storage.artifact;

import io.gridrun.common.event.EventCodec;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.blob.StoredBlob;
import io.gridrun.storage.object.FileSystemObjectStore;
import io.gridrun.storage.object.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Steps' artifacts: their bytes in a content-addressed blob store of their own (each content once,
 * however many steps wrote it), an index per run and step ({@code runs/<runId>/<stepId>.json}), and
 * a reference marker per use ({@code refs/<hash>/<runId>~<stepId>}), so deleting a run's artifacts
 * deletes exactly the blobs no other step uses, without scanning every index. Kept apart from the
 * snapshot blob store, whose collection only knows snapshots. Indexes and markers are objects of an
 * {@link ObjectStore}: files under a directory, or objects in a bucket when no disk is shared.
 */
public class ArtifactStore {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final BlobStore blobs;
  private final ObjectStore objects;

  /** Artifacts in a directory: blobs under {@code blobs/}, indexes and markers beside them. */
  public ArtifactStore(Path root) {
    this(new FileSystemBlobStore(root.resolve("blobs")), new FileSystemObjectStore(root));
  }

  public ArtifactStore(BlobStore blobs, ObjectStore objects) {
    this.blobs = blobs;
    this.objects = objects;
  }

  /**
   * Keeps the regular files under {@code outputs} (symbolic links are not followed), in path order,
   * until {@code capBytes} is reached; the rest is listed as not kept. Replaces what the step kept
   * before.
   */
  public ArtifactIndex keep(String runId, String stepId, Path outputs, long capBytes)
      throws IOException {
    check(runId);
    check(stepId);
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(outputs, LinkOption.NOFOLLOW_LINKS)) {
      Files.walkFileTree(
          outputs,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                files.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    }
    files.sort(Comparator.comparing(p -> relative(outputs, p)));
    List<Artifact> kept = new ArrayList<>();
    List<Artifact> notKept = new ArrayList<>();
    long total = 0;
    for (Path file : files) {
      String path = relative(outputs, file);
      long size = Files.size(file);
      if (total + size > capBytes) {
        notKept.add(new Artifact(path, size, null));
        continue;
      }
      StoredBlob blob = blobs.put(file);
      reference(blob.hash(), runId, stepId);
      if (!blobs.exists(blob.hash())) {
        blobs.put(file); // a deletion of the last other use raced with this put
      }
      kept.add(new Artifact(path, blob.size(), blob.hash()));
      total += blob.size();
    }
    ArtifactIndex index = new ArtifactIndex(kept, notKept, capBytes);
    objects.put(
        indexKey(runId, stepId),
        EventCodec.mapper().writeValueAsString(index).getBytes(StandardCharsets.UTF_8));
    return index;
  }

  /** The step's index; empty when it kept nothing (or never ran). */
  public Optional<ArtifactIndex> index(String runId, String stepId) throws IOException {
    if (!SAFE.matcher(runId).matches() || !SAFE.matcher(stepId).matches()) {
      return Optional.empty();
    }
    Optional<InputStream> stored = objects.open(indexKey(runId, stepId));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = stored.get()) {
      return Optional.of(EventCodec.mapper().readValue(in.readAllBytes(), ArtifactIndex.class));
    }
  }

  /** One artifact of a step, by its path. */
  public Optional<Artifact> find(String runId, String stepId, String path) throws IOException {
    return index(runId, stepId)
        .flatMap(i -> i.artifacts().stream().filter(a -> a.path().equals(path)).findFirst());
  }

  public InputStream open(Artifact artifact) throws IOException {
    return blobs.open(artifact.sha256());
  }

  /** Deletes a run's artifacts, and the blobs no other step references. */
  public void deleteRun(String runId) throws IOException {
    if (!SAFE.matcher(runId).matches()) {
      return;
    }
    for (String key : objects.list("runs/" + runId + "/")) {
      if (key.endsWith(".json")) {
        String stepId = key.substring(key.lastIndexOf('/') + 1).replaceAll("\\.json$", "");
        Optional<ArtifactIndex> index = index(runId, stepId);
        if (index.isPresent()) {
          for (Artifact artifact : index.get().artifacts()) {
            release(artifact.sha256(), runId, stepId);
          }
        }
      }
      objects.delete(key);
    }
  }

  /** Deletes the artifacts of every run of a job ({@code <jobId>-r…}). */
  public void deleteRunsOf(String jobId) throws IOException {
    if (!SAFE.matcher(jobId).matches()) {
      return;
    }
    java.util.Set<String> runIds = new java.util.TreeSet<>();
    for (String key : objects.list("runs/" + jobId + "-r")) {
      String[] parts = key.split("/");
      if (parts.length == 3) {
        runIds.add(parts[1]);
      }
    }
    for (String runId : runIds) {
      deleteRun(runId);
    }
  }

  private static String indexKey(String runId, String stepId) {
    return "runs/" + runId + "/" + stepId + ".json";
  }

  private void reference(String hash, String runId, String stepId) throws IOException {
    String marker = "refs/" + hash + "/" + runId + "~" + stepId;
    if (!objects.exists(marker)) {
      objects.put(marker, new byte[0]);
    }
  }

  private void release(String hash, String runId, String stepId) throws IOException {
    objects.delete("refs/" + hash + "/" + runId + "~" + stepId);
    if (objects.list("refs/" + hash + "/").isEmpty()) {
      // another step keeping the same content meanwhile writes the blob again (see keep)
      blobs.delete(hash);
    }
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static void check(String name) {
    if (!SAFE.matcher(name).matches()) {
      throw new IllegalArgumentException("not a run or step id: " + name);
    }
  }
}

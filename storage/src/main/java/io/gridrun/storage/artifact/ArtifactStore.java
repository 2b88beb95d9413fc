package io.gridrun.storage.artifact;

import io.gridrun.common.event.EventCodec;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.blob.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * snapshot blob store, whose collection only knows snapshots.
 */
public class ArtifactStore {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final BlobStore blobs;
  private final Path runs;
  private final Path refs;

  public ArtifactStore(Path root) {
    this.blobs = new FileSystemBlobStore(root.resolve("blobs"));
    this.runs = root.resolve("runs");
    this.refs = root.resolve("refs");
    try {
      Files.createDirectories(runs);
      Files.createDirectories(refs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the artifact store at " + root, e);
    }
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
    Path target = runs.resolve(runId).resolve(stepId + ".json");
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling(stepId + ".json.part");
    Files.writeString(temp, EventCodec.mapper().writeValueAsString(index));
    Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return index;
  }

  /** The step's index; empty when it kept nothing (or never ran). */
  public Optional<ArtifactIndex> index(String runId, String stepId) throws IOException {
    if (!SAFE.matcher(runId).matches() || !SAFE.matcher(stepId).matches()) {
      return Optional.empty();
    }
    Path file = runs.resolve(runId).resolve(stepId + ".json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(EventCodec.mapper().readValue(Files.readString(file), ArtifactIndex.class));
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
    Path dir = runs.resolve(runId);
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var indexes = Files.list(dir)) {
      for (Path file : indexes.filter(p -> p.toString().endsWith(".json")).toList()) {
        String stepId = file.getFileName().toString().replaceAll("\\.json$", "");
        ArtifactIndex index =
            EventCodec.mapper().readValue(Files.readString(file), ArtifactIndex.class);
        for (Artifact artifact : index.artifacts()) {
          release(artifact.sha256(), runId, stepId);
        }
        Files.deleteIfExists(file);
      }
    }
    try (var rest = Files.list(dir)) {
      for (Path p : rest.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  /** Deletes the artifacts of every run of a job ({@code <jobId>-r…}). */
  public void deleteRunsOf(String jobId) throws IOException {
    if (!SAFE.matcher(jobId).matches()) {
      return;
    }
    try (var all = Files.list(runs)) {
      for (Path run :
          all.filter(p -> p.getFileName().toString().startsWith(jobId + "-r")).toList()) {
        deleteRun(run.getFileName().toString());
      }
    }
  }

  private void reference(String hash, String runId, String stepId) throws IOException {
    Path dir = refs.resolve(hash);
    Files.createDirectories(dir);
    Path marker = dir.resolve(runId + "~" + stepId);
    if (!Files.exists(marker)) {
      Files.createFile(marker);
    }
  }

  private void release(String hash, String runId, String stepId) throws IOException {
    Path dir = refs.resolve(hash);
    Files.deleteIfExists(dir.resolve(runId + "~" + stepId));
    boolean unused;
    try (var left = Files.list(dir)) {
      unused = left.findAny().isEmpty();
    } catch (java.nio.file.NoSuchFileException gone) {
      unused = true;
    }
    if (unused) {
      blobs.delete(hash);
      try {
        Files.deleteIfExists(dir);
      } catch (java.nio.file.DirectoryNotEmptyException usedMeanwhile) {
        // another step kept the same content meanwhile; its put wrote the blob again
      }
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

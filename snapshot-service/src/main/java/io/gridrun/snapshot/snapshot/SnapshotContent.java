package io.gridrun.snapshot.snapshot;

import java.util.List;

/**
 * What copying a project into the blob store produced.
 *
 * @param manifest the manifest blob's hash
 * @param newBytes blob bytes this snapshot added to the store (0 for an unchanged project)
 * @param skipped special files (fifos, sockets, devices) that were left out
 * @param warnings what the snapshot report should say, such as {@code .gitignore} patterns skipped
 *     as invalid
 */
public record SnapshotContent(
    String manifest,
    long fileCount,
    long totalBytes,
    long newBytes,
    List<String> skipped,
    List<String> warnings) {

  public SnapshotContent(
      String manifest, long fileCount, long totalBytes, long newBytes, List<String> skipped) {
    this(manifest, fileCount, totalBytes, newBytes, skipped, List.of());
  }
}

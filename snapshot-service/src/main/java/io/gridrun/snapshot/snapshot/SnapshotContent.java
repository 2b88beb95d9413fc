package io.gridrun.snapshot.snapshot;

import java.util.List;

/**
 * What copying a project into the blob store produced.
 *
 * @param manifest the manifest blob's hash
 * @param newBytes blob bytes this snapshot added to the store (0 for an unchanged project)
 * @param skipped special files (fifos, sockets, devices) that were left out
 */
public record SnapshotContent(
    String manifest, long fileCount, long totalBytes, long newBytes, List<String> skipped) {}

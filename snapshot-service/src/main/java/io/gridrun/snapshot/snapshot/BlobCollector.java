package io.gridrun.snapshot.snapshot;

import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.NoSuchBlobException;
import io.gridrun.storage.manifest.ManifestEntry;
import io.gridrun.storage.manifest.Manifests;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes blobs no snapshot references any more. A snapshot being taken writes its blobs before its
 * manifest is recorded, so blobs written or re-put within the grace period are always kept: a
 * collection running beside a snapshot never deletes what that snapshot is about to reference.
 */
public class BlobCollector {

  /** What a collection did. */
  public record Collected(long kept, long deleted, long deletedBytes) {}

  private final BlobStore blobs;
  private final Duration grace;
  private final Clock clock;

  public BlobCollector(BlobStore blobs, Duration grace, Clock clock) {
    this.blobs = blobs;
    this.grace = grace;
    this.clock = clock;
  }

  /**
   * @param manifests the manifest hash of every snapshot that exists
   */
  public Collected collect(List<String> manifests) throws IOException {
    Instant youngest = clock.instant().minus(grace);
    Set<String> referenced = new HashSet<>();
    for (String manifest : manifests) {
      referenced.add(manifest);
      try {
        Manifests.forEach(
            blobs,
            manifest,
            entry -> {
              if (ManifestEntry.FILE.equals(entry.type())) {
                referenced.add(entry.hash());
              }
            });
      } catch (NoSuchBlobException missing) {
        // a snapshot whose manifest is gone references nothing that could be kept for it
      }
    }
    long kept = 0;
    long deleted = 0;
    long bytes = 0;
    List<String> all;
    try (Stream<String> hashes = blobs.hashes()) {
      all = hashes.toList();
    }
    for (String hash : all) {
      if (referenced.contains(hash)) {
        kept++;
        continue;
      }
      try {
        if (blobs.lastUsed(hash).isAfter(youngest)) {
          kept++;
          continue;
        }
        long size;
        try (var in = blobs.open(hash)) {
          size = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (blobs.delete(hash)) {
          deleted++;
          bytes += size;
        }
      } catch (NoSuchBlobException gone) {
        // removed meanwhile
      }
    }
    return new Collected(kept, deleted, bytes);
  }
}
